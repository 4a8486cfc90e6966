"""Engagement: the activity log, the indicator, pulse checks, kudos and team dashboards."""
