"""Local servers that answer as outside services do."""
