-- office_measure(ukuran, pct_target, certified, participants, coverage, aparatur): the value an office is
-- ranked on (Peringkat's measure selector, desasadar/ranking.py): persen_target | tersertifikasi | peserta
-- | cakupan | aparatur; any other measure is an error.
create macro main.office_measure(ukuran, pct_target, certified, participants, coverage, aparatur) as
case ukuran
    when 'persen_target' then pct_target
    when 'tersertifikasi' then certified
    when 'peserta' then participants
    when 'cakupan' then coverage
    when 'aparatur' then aparatur
    else error('unknown measure: ' || ukuran)
end::double
