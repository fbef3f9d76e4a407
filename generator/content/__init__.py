"""The content model: project files become frozen, typed objects related by id."""
