-- certified_by(certified_on, revoked_on, on_day): the village counts as certified on `on_day`,
-- certified on or before it and not revoked by then.
create macro main.certified_by(certified_on, revoked_on, on_day) as
certified_on <= on_day and (revoked_on is null or revoked_on > on_day)
