"""What the importer reads from the database before it parses."""

from recommendations.models import OrganisationAlias


def organisation_aliases() -> dict[str, str]:
    """Every alias an editor keeps (``OrganisationAlias``), lower-cased -> what it stands for, as
    the parsers take it (plain data)."""
    return {
        " ".join(alias.replace("’", "'").casefold().split()): stands_for for alias, stands_for in OrganisationAlias.objects.values_list("alias", "stands_for")
    }
