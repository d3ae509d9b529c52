-- officials_ok(officials_total, officials_enrolled): the certification criterion "all perangkat desa
-- enrolled": the village has officials and every one of them is enrolled. Used by the derived facts
-- (criteria_met, queries/derive/facts_desa.sql) and by the village checklist queries.
create macro main.officials_ok(officials_total, officials_enrolled) as
officials_total > 0 and officials_enrolled >= officials_total
