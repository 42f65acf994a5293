"""Turning what users have (saved pages, text scrapes, annotated records) into clean articles.

Pure functions: bytes or str in, plain data (`vocabulary.records`) out; no database, no user
interface.
"""
