"""Aggregation across source systems (数据归集): identities, merged volunteers, hours,
star levels and the service-points ledger."""
