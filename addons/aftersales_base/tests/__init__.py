from . import test_archive
