"""The import pages' users and row counts (tests/manage_import), and the hostile files as files."""

import pytest

from tests.manage_import.conftest import counts, editor  # noqa: F401 (fixtures shared with the import pages' tests)

from . import documents


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    """Each hostile document written once to a file: name -> path."""
    folder = tmp_path_factory.mktemp("hostile")
    built = {
        "password.pdf": documents.encrypted_pdf("a real password"),
        "jbig2.pdf": documents.jbig2_pdf(),
        "deep.pdf": documents.deep_page_tree_pdf(150),
        "bomb.pdf": documents.flate_bomb_pdf(100),
    }
    for name, data in built.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in built}
