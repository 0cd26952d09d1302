"""Prints the node tree of each YAML file named on the command line, as PyYAML's pure-Python
composer (yaml.SafeLoader, not the libyaml-based CSafeLoader) sees it: one line per node in
document order, a mapping's key before its value:

    <depth> <scalar|sequence|mapping> <line>:<column> <a scalar's text as UTF-8 hex>

Lines and columns are 1-based (PyYAML's marks plus one). Each file's tree is preceded by
`== <path>`. DeviceProfilesTests' YAMLComposerAgreementTests compares it with YAMLComposer."""

import sys

import yaml


def walk(node, depth, out):
    mark = f"{node.start_mark.line + 1}:{node.start_mark.column + 1}"
    if isinstance(node, yaml.ScalarNode):
        out.append(f"{depth} scalar {mark} {node.value.encode('utf-8').hex()}")
    elif isinstance(node, yaml.SequenceNode):
        out.append(f"{depth} sequence {mark}")
        for item in node.value:
            walk(item, depth + 1, out)
    else:
        out.append(f"{depth} mapping {mark}")
        for key, value in node.value:
            walk(key, depth + 1, out)
            walk(value, depth + 1, out)


def main():
    out = []
    for path in sys.argv[1:]:
        out.append(f"== {path}")
        with open(path, encoding="utf-8") as f:
            root = yaml.compose(f, Loader=yaml.SafeLoader)
        if root is not None:
            walk(root, 0, out)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
