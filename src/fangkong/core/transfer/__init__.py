"""Excel import and export framework."""
