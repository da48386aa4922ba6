"""The shared vocabulary: roles and the permission table, stages, the calendar (and the one
way to write a date), the timeline, the plain item types and enums with their labels that
storage returns and features share, the checklist, and the error convention.

Storage and every feature may import it; it imports nothing of ours outside itself (an
import-linter contract in pyproject.toml holds that).
"""
