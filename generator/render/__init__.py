"""The build pipeline: validated project -> pages -> files written into site/ last."""
