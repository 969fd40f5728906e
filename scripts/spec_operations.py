"""Read the operations of openapi.yaml into what the resource templates render.

openapi-python-client parses operations too, but its endpoint model drops
vendor extensions (`x-retab-resource`, `x-retab-method`,
`x-retab-pagination`) and 0.29.1 renders no template with every operation in
view, which a resource tree needs. So scripts/regenerate reads operations
here and renders `operations.py.jinja` and `resources.py.jinja` itself; the
models still come from the generator. Every shape this cannot carry is
collected as a `SpecProblem` naming the operation, and generation fails.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from openapi_python_client.strings import ClassName, PythonIdentifier

__all__ = ["Resource", "SpecOperation", "SpecProblem", "read_operations", "resource_tree"]

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
# Keyword arguments every generated method takes (RequestOptions): a spec
# parameter with one of these names would shadow it.
OPTION_NAMES = frozenset({"timeout", "max_retries", "extra_headers", "extra_query", "self"})
# JSON media types a body can be read as; any other answer fails generation.
JSON_TYPES = ("application/json",)
_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_FORMATS = {"date-time": "datetime.datetime | str", "date": "datetime.date | str"}
RESERVED_ATTRIBUTES = frozenset({"with_raw_response", "with_options", "close", "aclose"})
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
_COMPONENT = "#/components/schemas/"


class SpecProblem(Exception):
    """A shape the templates cannot carry; the message names the operation."""


@dataclass
class Argument:
    """A parameter or a body field, as a keyword of the generated method."""

    name: str
    python_name: str
    location: str  # path, query, header, body
    required: bool
    annotation: str
    description: str = ""
    schema: dict[str, Any] = field(default_factory=dict)
    deprecated: bool = False

    @property
    def default(self) -> str:
        """The default of an optional argument: NOT_GIVEN for a body member (None is null)."""
        return "NOT_GIVEN" if self.location == "body" else "None"

    @property
    def full_annotation(self) -> str:
        """The annotation of the method's argument, with what its default needs."""
        if self.required:
            return self.annotation
        parts = self.annotation.split(" | ")
        if self.location == "body":
            return f"{self.annotation} | NotGiven"
        return self.annotation if "None" in parts else f"{self.annotation} | None"

    @property
    def schema_code(self) -> str:
        """The parameter's schema as a Python literal (the fake server validates with it)."""
        return repr(self.schema)


@dataclass
class SpecOperation:
    operation_id: str
    constant: str
    resource: str
    method_name: str
    http_method: str
    path: str
    summary: str
    arguments: list[Argument]
    success: str  # the annotation of the result ("None" for no body)
    success_code: str  # what Operation(success=...) is given
    body: str | None
    errors: dict[str, str]
    pagination: dict[str, Any] | None
    idempotent: bool
    auth: list[tuple[str, str]] = field(default_factory=list)
    deprecated: bool = False
    aliases: list[str] = field(default_factory=list)
    models: set[str] = field(default_factory=set)  # every model class its code names

    @property
    def parameters(self) -> list[Argument]:
        """Every argument, body members included, as `Param` declarations."""
        return self.arguments

    @property
    def deprecated_arguments(self) -> list[Argument]:
        return [a for a in self.arguments if a.deprecated]

    @property
    def positional(self) -> list[Argument]:
        """Path parameters, required query parameters, then the body's members.

        Positional-or-keyword, as Retab's SDK takes them (`metrics.get(run_id,
        view=...)`, `create(experiment_id, workflow_id=None)`); within the
        body, required members come before optional ones.
        """
        body = [a for a in self.arguments if a.location == "body"]
        return [
            *(a for a in self.arguments if a.location == "path"),
            *(a for a in self.arguments if a.location == "query" and a.required),
            *(a for a in body if a.required),
            *(a for a in body if not a.required),
        ]

    @property
    def keywords(self) -> list[Argument]:
        """Optional query parameters and header parameters: keyword-only."""
        rest = [
            a
            for a in self.arguments
            if a.location == "header" or (a.location == "query" and not a.required)
        ]
        return [*(a for a in rest if a.required), *(a for a in rest if not a.required)]

    def paging_keywords(self) -> list[Argument]:
        """The keywords of the pagination-free forms: all but the cursor."""
        cursor = (self.pagination or {}).get("cursor_param")
        return [a for a in self.keywords if a.name != cursor]


@dataclass
class Resource:
    path: str
    class_name: str
    children: dict[str, Resource] = field(default_factory=dict)
    operations: list[SpecOperation] = field(default_factory=list)


def _class_name(name: str) -> str:
    return str(ClassName(name, ""))


def _python_name(name: str) -> str:
    """The Python name of a JSON name, as the generator names model attributes.

    Keywords, builtins and `self` get a trailing underscore (`from` ->
    `from_`), and so do the per-call options (`timeout` -> `timeout_`); the
    JSON name is what goes on the wire.
    """
    python = str(PythonIdentifier(name, prefix="field_"))
    return f"{python}_" if python in OPTION_NAMES else python


class _Reader:
    """Reads one operation; `fail` raises naming it."""

    def __init__(self, spec: dict[str, Any], label: str) -> None:
        self.spec = spec
        self.schemas: dict[str, Any] = spec.get("components", {}).get("schemas", {})
        self.label = label
        self.models: set[str] = set()

    def fail(self, why: str) -> SpecProblem:
        return SpecProblem(f"{self.label}: {why}")

    def resolve(self, node: Any, kind: str) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            prefix = f"#/components/{kind}/"
            if not ref.startswith(prefix):
                raise self.fail(f"unsupported $ref {ref!r}")
            node = self.spec.get("components", {}).get(kind, {}).get(ref.removeprefix(prefix))
            if node is None:
                raise self.fail(f"$ref {ref!r} names nothing")
        return node

    def model(self, schema: Any, what: str) -> str:
        """The generated class of a `$ref` to an object component schema."""
        ref = schema.get("$ref", "") if isinstance(schema, dict) else ""
        name = ref.removeprefix(_COMPONENT)
        if not ref.startswith(_COMPONENT) or name not in self.schemas:
            raise self.fail(f"{what} must be a $ref to a schema in components/schemas")
        target = self.schemas[name]
        if "enum" in target or target.get("type", "object") != "object":
            raise self.fail(f"{what} must be an object schema, {name} is not")
        self.models.add(_class_name(name))
        return _class_name(name)

    def annotation(self, schema: Any, what: str, depth: int = 0) -> str:
        """The Python type of a parameter or body field; objects only by $ref."""
        if not isinstance(schema, dict) or depth > 8:
            raise self.fail(f"{what} has no usable schema")
        if "$ref" in schema:
            name = schema["$ref"].removeprefix(_COMPONENT)
            target = self.schemas.get(name)
            if target is None:
                raise self.fail(f"{what}: $ref {schema['$ref']!r} names nothing")
            if "enum" in target:
                self.models.add(_class_name(name))
                return _class_name(name)
            return self.model(schema, what)
        for union in ("anyOf", "oneOf"):
            if union in schema:
                members = [self.annotation(m, what, depth + 1) for m in schema[union]]
                return " | ".join(dict.fromkeys(members))
        if "enum" in schema:
            return f"Literal[{', '.join(repr(v) for v in schema['enum'])}]"
        declared = schema.get("type")
        types = declared if isinstance(declared, list) else [declared]
        parts = []
        for kind in types:
            if kind == "array":
                # builtins.: a resource method may itself be called `list`.
                item = self.annotation(schema.get("items"), what, depth + 1)
                parts.append(f"builtins.list[{item}]")
            elif kind == "string" and schema.get("format") in _FORMATS:
                parts.append(_FORMATS[schema["format"]])
            elif kind in _SCALARS:
                parts.append(_SCALARS[kind])
            elif kind is None and not schema.get("properties"):
                parts.append("Any")  # a free JSON value
            else:
                raise self.fail(f"{what} has a shape the templates cannot carry (type {kind!r})")
        return " | ".join(parts)

    def success(self, schema: Any, what: str) -> tuple[str, str]:
        """(annotation, Operation's `success` code) of a JSON answer: a model, variants, a list."""
        if isinstance(schema, dict) and schema.get("type") == "array":
            item = self.model(schema.get("items"), f"the items of {what}")
            return f"builtins.list[{item}]", f"ListOf({item})"
        target = schema
        if isinstance(schema, dict) and "$ref" in schema:
            target = self.schemas.get(schema["$ref"].removeprefix(_COMPONENT))
        union = next(
            (u for u in ("anyOf", "oneOf") if isinstance(target, dict) and u in target), None
        )
        if union is None:
            model = self.model(schema, what)
            return model, model
        members = [self.model(m, f"each member of {what}'s {union}") for m in target[union]]
        discriminator = target.get("discriminator") or {}
        prop = discriminator.get("propertyName")
        mapping = {}
        for value, ref in (discriminator.get("mapping") or {}).items():
            mapped = self.model({"$ref": ref}, f"the discriminator mapping {value!r} of {what}")
            if mapped not in members:
                raise self.fail(f"{what}: discriminator maps {value!r} to a model not in the union")
            mapping[value] = mapped
        code = f"Variants(({', '.join(members)},)"
        if prop:
            pairs = ", ".join(f"{value!r}: {model}" for value, model in mapping.items())
            code += f", discriminator={prop!r}, mapping={{{pairs}}}"
        return " | ".join(members), code + ")"


def _media(reader: _Reader, content: dict[str, Any], what: str) -> dict[str, Any] | None:
    """The JSON media type entry of `content`; fails naming any other media type."""
    if not content:
        return None
    other = [media for media in content if media not in JSON_TYPES]
    if other:
        raise reader.fail(f"{what} is {other[0]}: only application/json can be carried")
    return content["application/json"] or {}


def _auth(
    reader: _Reader, spec: dict[str, Any], operation: dict[str, Any]
) -> list[tuple[str, str]]:
    """How the operation takes the key (`security`, or the spec's default), first preferred."""
    schemes = spec.get("components", {}).get("securitySchemes", {})
    found = []
    for requirement in operation.get("security", spec.get("security", [])):
        if len(requirement) != 1:
            raise reader.fail("a security requirement must name exactly one scheme")
        (name,) = requirement
        scheme = reader.resolve(schemes.get(name), "securitySchemes")
        if not isinstance(scheme, dict):
            raise reader.fail(f"security scheme {name!r} is not in components/securitySchemes")
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header" and scheme.get("name"):
            found.append(("header", str(scheme["name"])))
        elif scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            found.append(("bearer", "Authorization"))
        else:
            raise reader.fail(
                f"security scheme {name!r} cannot be carried: only an apiKey in a header "
                "or http bearer"
            )
    return found


def _read_operation(
    spec: dict[str, Any], path: str, method: str, item: dict[str, Any]
) -> SpecOperation:
    operation = item[method]
    label = f"operation {operation.get('operationId') or method.upper() + ' ' + path}"
    reader = _Reader(spec, label)
    operation_id = operation.get("operationId")
    if not operation_id or not _IDENTIFIER.fullmatch(_python_name(operation_id)):
        raise reader.fail("needs an operationId")
    resource = operation.get("x-retab-resource")
    method_name = operation.get("x-retab-method")
    if not isinstance(resource, str) or not all(
        _IDENTIFIER.fullmatch(part) and not keyword.iskeyword(part) for part in resource.split(".")
    ):
        raise reader.fail("needs x-retab-resource, a dotted path of Python names")
    if (
        not isinstance(method_name, str)
        or not _IDENTIFIER.fullmatch(method_name)
        or keyword.iskeyword(method_name)
        or method_name in RESERVED_ATTRIBUTES
        or method_name.startswith("_")
    ):
        raise reader.fail("needs x-retab-method, a Python name for the method")

    arguments: list[Argument] = []
    parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
    for raw in parameters:
        parameter = reader.resolve(raw, "parameters")
        name, location = parameter.get("name"), parameter.get("in")
        if location not in ("path", "query", "header"):
            raise reader.fail(f"parameter {name!r} in {location!r} cannot be carried")
        what = f"parameter {name!r}"
        if not isinstance(name, str) or not name:
            raise reader.fail("a parameter needs a name")
        arguments = [a for a in arguments if (a.name, a.location) != (name, location)]
        arguments.append(
            Argument(
                name=name,
                python_name=_python_name(name),
                location=location,
                required=bool(parameter.get("required")) or location == "path",
                annotation=reader.annotation(parameter.get("schema"), what),
                description=parameter.get("description", ""),
                schema=parameter.get("schema") or {},
                deprecated=bool(parameter.get("deprecated")),
            )
        )
    placeholders = re.findall(r"{([^}]*)}", path)
    path_names = [a.name for a in arguments if a.location == "path"]
    if sorted(placeholders) != sorted(path_names):
        raise reader.fail(f"path {path!r} and its path parameters {path_names} do not match")

    body = None
    if "requestBody" in operation:
        request_body = reader.resolve(operation["requestBody"], "requestBodies")
        media = _media(reader, request_body.get("content", {}), "the request body")
        schema = (media or {}).get("schema")
        body = reader.model(schema, "the request body")
        body_schema = reader.schemas[schema["$ref"].removeprefix(_COMPONENT)]
        required = set(body_schema.get("required", []))
        for name, prop in body_schema.get("properties", {}).items():
            arguments.append(
                Argument(
                    name=name,
                    python_name=_python_name(name),
                    location="body",
                    required=name in required,
                    annotation=reader.annotation(prop, f"body field {name!r}"),
                    description=prop.get("description", ""),
                    schema=prop,
                    deprecated=bool(prop.get("deprecated")),
                )
            )

    seen: set[str] = set()
    for argument in arguments:
        python_name = argument.python_name
        if not _IDENTIFIER.fullmatch(python_name) or keyword.iskeyword(python_name):
            raise reader.fail(f"{argument.name!r} has no usable Python name")
        if python_name in OPTION_NAMES or python_name in seen:
            raise reader.fail(f"{argument.name!r} would be the keyword {python_name!r} twice")
        seen.add(python_name)

    success: tuple[str, str] | None = None
    errors = {}
    for status, raw_response in operation.get("responses", {}).items():
        response = reader.resolve(raw_response, "responses")
        key = str(status).upper()
        what = f"the {key} response"
        media = _media(reader, response.get("content") or {}, what)
        schema = None if media is None else media.get("schema")
        if media is not None and schema is None:
            raise reader.fail(f"{what} is JSON with no schema")
        if key.startswith("2"):
            if success is None:
                success = ("None", "None") if schema is None else reader.success(schema, what)
        elif schema is not None:
            errors[key.lower() if key == "DEFAULT" else key] = reader.model(schema, what)
    if success is None:
        raise reader.fail("needs a 2XX response")

    pagination = operation.get("x-retab-pagination")
    if pagination is not None:
        pagination = _pagination(reader, pagination, arguments, operation)
    idempotent = operation.get("x-retab-idempotent", method in ("get", "put", "delete"))
    if not isinstance(idempotent, bool):
        raise reader.fail("x-retab-idempotent must be true or false")
    aliases = operation.get("x-retab-aliases", [])
    if not isinstance(aliases, list) or not all(
        isinstance(alias, str)
        and _IDENTIFIER.fullmatch(alias)
        and not keyword.iskeyword(alias)
        and alias not in RESERVED_ATTRIBUTES
        for alias in aliases
    ):
        raise reader.fail("x-retab-aliases must be a list of Python method names")

    return SpecOperation(
        operation_id=operation_id,
        constant=_python_name(operation_id).upper(),
        resource=resource,
        method_name=method_name,
        http_method=method.upper(),
        path=path,
        summary=" ".join(str(operation.get("summary") or operation_id).split()),
        arguments=arguments,
        success=success[0],
        success_code=success[1],
        body=body,
        errors=errors,
        pagination=pagination,
        idempotent=idempotent,
        auth=_auth(reader, spec, operation),
        deprecated=bool(operation.get("deprecated")),
        aliases=aliases,
        models=reader.models,
    )


def _pagination(
    reader: _Reader, declared: Any, arguments: list[Argument], operation: dict[str, Any]
) -> dict[str, Any]:
    """The checked `x-retab-pagination`, with the class of the listed items."""
    if not isinstance(declared, dict):
        raise reader.fail("x-retab-pagination must be an object")
    names = ("items", "cursor_param", "next_cursor", "all_method", "iter_method")
    if not all(isinstance(declared.get(n), str) and declared[n] for n in names):
        raise reader.fail(f"x-retab-pagination needs {', '.join(names)}")
    cursor = declared["cursor_param"]
    if not any(a.name == cursor and a.location == "query" for a in arguments):
        raise reader.fail(f"x-retab-pagination: {cursor!r} is not a query parameter")
    for name in (declared["all_method"], declared["iter_method"]):
        if not _IDENTIFIER.fullmatch(name) or name in RESERVED_ATTRIBUTES:
            raise reader.fail(f"x-retab-pagination: {name!r} is not a usable method name")
    page = next(
        (
            reader.resolve(r, "responses")
            for status, r in operation.get("responses", {}).items()
            if str(status).startswith("2")
        ),
        {},
    )
    schema = page.get("content", {}).get("application/json", {}).get("schema", {})
    page_schema = reader.schemas.get(schema.get("$ref", "").removeprefix(_COMPONENT), {})
    listed = page_schema.get("properties", {}).get(declared["items"], {})
    if listed.get("type") != "array" or declared["items"] not in page_schema.get("required", []):
        raise reader.fail(
            f"x-retab-pagination: {declared['items']!r} is not a required array of the page"
        )
    item = reader.model(listed.get("items"), f"the items of {declared['items']!r}")
    _cursor_schema(reader, page_schema, declared["next_cursor"])
    return {
        **declared,
        "next_cursor": tuple(declared["next_cursor"].split(".")),
        "item": item,
    }


def _cursor_schema(reader: _Reader, page: dict[str, Any], dotted: str) -> dict[str, Any]:
    """The schema at `next_cursor`'s path in the page; fails unless it is there and a scalar."""
    node: Any = page
    for name in dotted.split("."):
        node = reader.resolve(node, "schemas")
        branches = node.get("anyOf") or node.get("oneOf") if isinstance(node, dict) else None
        if branches:  # `X | null`: the object branch
            node = next(
                (reader.resolve(b, "schemas") for b in branches if b.get("type") != "null"), {}
            )
        properties = node.get("properties", {}) if isinstance(node, dict) else {}
        if name not in properties:
            raise reader.fail(
                f"x-retab-pagination: next_cursor {dotted!r} names no member {name!r}"
            )
        node = properties[name]
    node = reader.resolve(node, "schemas")
    kinds = node.get("type") if isinstance(node, dict) else None
    kinds = set(kinds if isinstance(kinds, list) else [kinds]) - {"null"}
    if not kinds or not kinds <= {"string", "integer"}:
        raise reader.fail(
            f"x-retab-pagination: next_cursor {dotted!r} must be a string or an integer"
        )
    return node


def read_operations(spec: dict[str, Any]) -> tuple[list[SpecOperation], set[str]]:
    """Every operation of the spec, and the model classes they use; raises SpecProblem(s)."""
    operations, problems, models = [], [], set()
    for path, item in spec.get("paths", {}).items():
        for method in item:
            if method in ("parameters", "summary", "description", "servers"):
                continue
            if method not in HTTP_METHODS:
                problems.append(f"{method.upper()} {path}: method {method!r} cannot be carried")
                continue
            try:
                operation = _read_operation(spec, path, method, item)
            except SpecProblem as exc:
                problems.append(str(exc))
                continue
            operations.append(operation)
            models.update(operation.models)
    names: dict[tuple[str, str], str] = {}
    for operation in operations:
        key = (operation.resource, operation.method_name)
        if key in names:
            problems.append(
                f"operation {operation.operation_id}: {'.'.join(key)} is already "
                f"operation {names[key]}"
            )
        names[key] = operation.operation_id
    if problems:
        raise SpecProblem("\n".join(problems))
    return operations, models


def resource_tree(operations: list[SpecOperation]) -> list[Resource]:
    """The resources, children before parents (the order the template writes them)."""
    root = Resource("", "")
    for operation in operations:
        node = root
        for part in operation.resource.split("."):
            path = f"{node.path}.{part}".lstrip(".")
            node = node.children.setdefault(
                part, Resource(path, _class_name(path.replace(".", "_")))
            )
        node.operations.append(operation)
    ordered: list[Resource] = []

    def visit(node: Resource) -> None:
        for child in node.children.values():
            visit(child)
        ordered.append(node)

    visit(root)
    for node in ordered:
        methods = [o.method_name for o in node.operations]
        for o in node.operations:
            methods += o.aliases
            if o.pagination:
                methods += [o.pagination["all_method"], o.pagination["iter_method"]]
        if len(methods) != len(set(methods)):
            raise SpecProblem(f"resource {node.path}: two methods named alike in {sorted(methods)}")
        clash = set(methods) & set(node.children)
        if clash:
            raise SpecProblem(
                f"resource {node.path or '(root)'}: {sorted(clash)} is both a method and a resource"
            )
    return ordered
