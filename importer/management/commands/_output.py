"""How import commands print a result: every item, every warning, then a one-line summary."""


def print_result(command, result, *, verbose: bool) -> None:
    if verbose:
        command.stdout.write(f"{result.source} ({result.kind}): {result.title}")
        for line in result.lines:
            command.stdout.write(line)
    for warning in result.warnings:
        command.stdout.write(command.style.WARNING(f"  warning: {warning}"))
    command.stdout.write(command.style.SUCCESS(result.summary()) if result.committed else result.summary())
