"""Prompt templates and the pathway section specs, shipped as package data (read with importlib.resources)."""
