"""Bundled resources: fonts, catalogue, column profiles, translations (installed as jlexam.resources)."""
