"""Tests of the synthetic scenario generator."""
