"""Argument maps in and out of the store, one module per format."""
