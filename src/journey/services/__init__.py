"""The use cases: journeys (drafts, versions, publish), runs, events, users. No HTTP here."""
