"""The shared vocabulary storage and every feature may import; it imports nothing of ours
outside itself (an import-linter contract holds that)."""
