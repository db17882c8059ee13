"""Tests of the source adapters and their text helpers."""
