"""A campaign's results for staff: letters over time, by delivery, state and source, replies,
what members then did in Parliament, a hexagon map of Westminster and a table per member.

Every figure is an aggregate in the database (GROUP BY), so the page costs the same number of
queries whatever the number of letters (tests/support/queries.py, RESULTS_QUERIES).
"""
