"""Branch files in, validated snapshot out.

    read (readers) -> parse and check (checks) -> report (report) -> publish (publish)

`python -m desasadar ingest FILES... --as-of YYYY-MM-DD` and the Data page both call
`publish.ingest`. Nothing is published unless every file could be read as a documented
report, and the share of rejected rows stays within the limit; rejected rows are kept with
their reasons in the snapshot's quarantine/ folder, the original files in its sources/.
"""
