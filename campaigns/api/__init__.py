"""The read-only JSON API for the higher level (issue 10): plans, targets, roll-up, units, awards.

Token-only: a client (`campaigns.models.ApiClient`) sends ``Authorization: Bearer <token>`` and
reads the plan years granted to it; portal sessions are not accepted here. Every figure comes from
the same selectors as the portal's pages (`indicators.progress.ward_results`, hence `rollup`).
"""
