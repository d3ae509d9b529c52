-- certified_coverage(participants, workforce, village_status): an aggregate, the workforce coverage of
-- the certified villages in the group: the sum of min(active participants, workforce estimate) over the
-- sum of the workforce estimates (NULL when no certified village has an estimate).
create macro main.certified_coverage(participants, workforce, village_status) as
sum(least(participants, workforce)) filter (where village_status = 'certified')
/ nullif(sum(workforce) filter (where village_status = 'certified'), 0)
