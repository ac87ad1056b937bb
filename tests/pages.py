"""What a test reads off a list's captured queries."""


def counted_part(captured) -> str:
    """The query a lean list's page counts inside its own statement (chainparty.api.RowCount)."""
    [page] = [query["sql"] for query in captured if "SELECT COUNT(*) FROM (" in query["sql"]]
    return page.split("SELECT COUNT(*) FROM (", 1)[1].split(") counted)", 1)[0]
