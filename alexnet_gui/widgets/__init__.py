"""Widgets and drawing helpers shared by the window and the panels (none of them a panel)."""
