"""Question banks, grading, draws and imports."""
