"""PyTorch's own op and module database (op_db, module_db) as glassgrad's specification.

``record.py`` (needs torch) draws torch's sample inputs and answers into tests/fixtures/opdb;
``test_op_db.py`` and ``test_module_db.py`` feed the same inputs to glassgrad and compare;
``report.py`` counts the outcomes per family for docs/pytorch.md. See docs/pytorch.md.
"""
