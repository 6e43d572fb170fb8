"""Bicep files read into the same Template model as ARM JSON.

`load_bicep_file(path)` parses a `.bicep` file with tree-sitter-bicep, converts it into ARM-shaped
template data the way the Bicep compiler would (see `templategen.bicep.convert`), and returns a
`BicepDocument` whose `locate(pointer)` maps any pointer of that data back to the Bicep source.
`templategen.arm.template.build_template(document)` then builds the model every rule reads.
"""

from __future__ import annotations

from templategen.bicep.document import BicepDocument, load_bicep_file, parse_bicep

__all__ = ["BicepDocument", "load_bicep_file", "parse_bicep"]
