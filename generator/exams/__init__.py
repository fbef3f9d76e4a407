"""Exams: accounts and sign-in, attempts (online and on paper), grading sheets."""
