"""Tests of volunteer_standard.identifiers."""
