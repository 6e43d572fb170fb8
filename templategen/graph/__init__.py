"""Resource graphs of templates: `templategen graph TEMPLATE [--format mermaid|dot]`.

`build.build_graph(template, parameters)` turns the template model into a `model.Graph` (nodes,
edges, groups; no output syntax), and `render.render(graph, fmt)` prints it as Mermaid or DOT.
`source.load_template(path)` reads ARM JSON or Bicep as `lint` does. Nothing is imported here, so
`templategen --help` stays fast.
"""
