"""Layer 2, data access: the tables in ``data/`` read and checked against ``data/datapackage.json``
(a broken file fails naming file and line), and the helpers built on them (ligand affinities, the
quiz bank, reference lists, concentration units). No UI imports beyond what a table display needs."""
