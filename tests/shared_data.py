"""Data a whole test module reads, built once instead of once per test.

Building a collaboration and driving a procurement through the services costs about a second;
a module of thirty tests that each need the same world spent half a minute on it. A
module-scoped fixture does ``yield from built_once_per_module(django_db_blocker, build)``:
BUILD runs once inside a transaction that is rolled back after the module, and each test still
runs in its own savepoint inside it (pytest-django's ``db`` nests there), so what one test
writes is gone before the next begins.

The Python objects BUILD returns are shared by the module's tests, and a test may change one
in memory (a transition moves ``procurement.phase``) or fill its permission cache with rows
that were rolled back, whose ids the next test's rows may get again. The function-scoped
fixture over the module's data therefore hands each test ``fresh`` copies of the rows it acts
with.
"""
from django.db import transaction


def built_once_per_module(django_db_blocker, build):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def fresh(instance):
    """INSTANCE read again from the database: no attribute or cache a test left on it."""
    return type(instance)._default_manager.get(pk=instance.pk)
