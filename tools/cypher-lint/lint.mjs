#!/usr/bin/env node
// Offline Neo4j 5 lint of PlanGraph's named queries (queries/*.cypher), in one Node process.
//
//   node tools/cypher-lint/lint.mjs [--schema FILE.json] [--python PY] [PATH ...]
//
// PATH: .cypher files or directories (default: <repo>/queries). The database schema (labels,
// relationship types, property keys and, when given, the allowed (from)-[type]->(to) paths) comes
// from --schema FILE.json, else from `python -m graph.schema lint-schema`, else from graph/schema.yaml
// read by a small Python step. Functions and procedures are those of a real Neo4j 5 server as
// shipped by @neo4j-cypher/language-support (testData.mockSchema), so unknown functions are errors.
// Parameters are declared from each file's `// param:` header (text params also get the
// `_folded` and `_key` companions added by queries/registry.py): an undeclared `$name` is an error.
//
// Fails (exit 1) on any error, on any warning (misspelled labels/types/properties, impossible
// paths, deprecations ...) and on constructs outside the Neo4j 5 / FalkorDB common core.
// Prints `file:line:col: severity: message` (1-based).
//
// Known blind spot of the library: a property of a variable is not checked once a RETURN/WITH
// alias reuses that variable's name (`MATCH (a) RETURN a.nmae AS a`); don't alias to a variable name.
import { readFileSync, statSync, readdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintCypherQuery, isNotParamError, testData } from '@neo4j-cypher/language-support';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');

const SCHEMA_FROM_YAML = `
import json, sys, yaml
spec = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
nodes, rels = spec.get("nodes") or {}, spec.get("relationships") or {}
props = set()
for body in list(nodes.values()) + list(rels.values()):
    props.update((body or {}).get("properties") or [])
    if (body or {}).get("key"):
        props.add(body["key"])
paths = [{"from": f, "to": t, "relType": r}
         for r, body in rels.items() for f in (body.get("from") or []) for t in (body.get("to") or [])]
print(json.dumps({"labels": sorted(nodes), "relationshipTypes": sorted(rels),
                  "propertyKeys": sorted(props), "graphSchema": paths}))
`;

// Outside the common core of Neo4j 5 and FalkorDB (see shared ENGINES.md); the Neo4j linter
// accepts most of these, so they are checked here.
const PORTABILITY = [
  [/\bEXISTS\s*\{/gi, 'EXISTS { } subquery is not supported by FalkorDB; use a pattern predicate'],
  [/\bCOUNT\s*\{/gi, 'COUNT { } subquery is not supported by FalkorDB; use size([(a)-->(b) | b]) or OPTIONAL MATCH + count()'],
  [/\belementId\s*\(/gi, 'elementId() is not supported by FalkorDB; use the id property'],
  [/(?<![\w.$])id\s*\(/gi, 'id() is deprecated in Neo4j 5 and engine-specific; use the id property'],
  [/\bapoc\./gi, 'APOC is not available on FalkorDB'],
  [/\bgds\./gi, 'GDS is not available on FalkorDB'],
  [/\[[^\]\n]*:\s*\w+\s*\|\s*:\s*\w+/g, '[:A|:B] is deprecated; and type alternatives differ between engines: use type(r) IN [...]'],
  [/\bIF\s+NOT\s+EXISTS\b/gi, 'Neo4j 5 DDL is not portable: schema DDL lives in the stores'],
  [/\bSHOW\s+(INDEXES|CONSTRAINTS)\b/gi, 'SHOW INDEXES/CONSTRAINTS is not supported by FalkorDB'],
  [/=~/g, 'regular expressions (=~) are not supported by FalkorDB'],
  // FalkorDB binds STARTS WITH/ENDS WITH/CONTAINS/IN tighter than + - * /:
  // `x ENDS WITH '@' + $k` runs as `(x ENDS WITH '@') + $k` there.
  [/\b(?:STARTS\s+WITH|ENDS\s+WITH|CONTAINS|IN)\s+(?:'[^'\n]*'|"[^"\n]*"|\$?[\w.]+(?:\([^()\n]*\))?(?:\[[^\]\n]*\])?|\[[^\]\n]*\])\s*[-+*\/%](?!\s*>)/gi,
    'FalkorDB binds STARTS WITH/ENDS WITH/CONTAINS/IN tighter than arithmetic: parenthesise the right operand, e.g. ENDS WITH (\'@\' + $k)'],
];

function parseArgs(argv) {
  const opts = { schema: null, python: null, ignoreParams: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--schema') opts.schema = argv[++i];
    else if (a === '--python') opts.python = argv[++i];
    else if (a === '--ignore-params') opts.ignoreParams = true;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node lint.mjs [--schema FILE.json] [--python PY] [--ignore-params] [PATH ...]');
      process.exit(0);
    } else opts.paths.push(a);
  }
  return opts;
}

function pythonCandidates(explicit) {
  const list = [];
  if (explicit) list.push(explicit);
  if (process.env.PYTHON) list.push(process.env.PYTHON);
  const venv = join(REPO, '.venv', 'bin', 'python');
  if (existsSync(venv)) list.push(venv);
  list.push('python3', 'python');
  return [...new Set(list)];
}

function normaliseSchema(raw, origin) {
  const pick = (...keys) => keys.map((k) => raw[k]).find((v) => v !== undefined);
  const asNames = (v) => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.keys(v) : []);
  const labels = asNames(pick('labels', 'nodeLabels', 'node_labels'));
  const relationshipTypes = asNames(pick('relationshipTypes', 'relationship_types', 'relTypes'));
  const propertyKeys = asNames(pick('propertyKeys', 'property_keys', 'properties'));
  if (!labels.length || !relationshipTypes.length || !propertyKeys.length) {
    throw new Error(`${origin}: schema JSON needs labels, relationshipTypes and propertyKeys`);
  }
  let graphSchema = pick('graphSchema', 'graph_schema', 'paths');
  if (!Array.isArray(graphSchema)) graphSchema = undefined;
  if (graphSchema) {
    // Task is an extra label on a Section: whatever may touch a Section may touch a Task.
    const extra = [];
    for (const p of graphSchema) {
      if (p.from === 'Section') extra.push({ ...p, from: 'Task' });
      if (p.to === 'Section') extra.push({ ...p, to: 'Task' });
      if (p.from === 'Section' && p.to === 'Section') extra.push({ ...p, from: 'Task', to: 'Task' });
    }
    graphSchema = [...graphSchema, ...extra];
  }
  return { labels, relationshipTypes, propertyKeys, graphSchema };
}

function loadSchema(opts) {
  if (opts.schema) {
    return normaliseSchema(JSON.parse(readFileSync(opts.schema, 'utf8')), opts.schema);
  }
  // Labels, types and property keys from the project's generator when it is there; the
  // (from)-[type]->(to) paths, which it does not print, from graph/schema.yaml.
  const yamlPath = join(REPO, 'graph', 'schema.yaml');
  const hasGenerator = existsSync(join(REPO, 'graph', 'schema.py'));
  for (const py of pythonCandidates(opts.python)) {
    const res = spawnSync(py, ['-c', SCHEMA_FROM_YAML, yamlPath], { cwd: REPO, encoding: 'utf8' });
    if (res.error?.code === 'ENOENT') continue;
    if (res.status !== 0) throw new Error(`cannot read ${yamlPath} with ${py}: ${res.stderr || res.error}`);
    const fromYaml = JSON.parse(res.stdout);
    if (hasGenerator) {
      const gen = spawnSync(py, ['-m', 'graph.schema', 'lint-schema'], { cwd: REPO, encoding: 'utf8' });
      if (gen.status === 0) {
        try {
          const generated = JSON.parse(gen.stdout);
          return normaliseSchema({ graphSchema: fromYaml.graphSchema, ...generated }, 'python -m graph.schema lint-schema');
        } catch (err) {
          console.error(`cypher-lint: ignoring graph.schema lint-schema output (${err.message})`);
        }
      } else {
        console.error(`cypher-lint: python -m graph.schema lint-schema failed; reading ${yamlPath}`);
      }
    }
    return normaliseSchema(fromYaml, yamlPath);
  }
  throw new Error('no Python found to read graph/schema.yaml; pass --schema FILE.json');
}

function collectFiles(paths) {
  const targets = paths.length ? paths : [join(REPO, 'queries')];
  const files = [];
  for (const t of targets) {
    const st = statSync(t);
    if (st.isDirectory()) {
      for (const f of readdirSync(t).sort()) if (f.endsWith('.cypher')) files.push(join(t, f));
    } else files.push(t);
  }
  return files;
}

const SAMPLE = { text: 'text', int: 1, float: 1.5, bool: true };

function headerParams(text) {
  const params = {};
  for (const line of text.split('\n')) {
    const m = /^\s*\/\/\s*param\s*:\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Za-z]+)/.exec(line);
    if (!m) continue;
    const [, name, type] = m;
    params[name] = SAMPLE[type.toLowerCase()] ?? null;
    if (type.toLowerCase() === 'text') {
      params[`${name}_folded`] = 'text';
      params[`${name}_key`] = 'text';
    }
  }
  return params;
}

function lineCol(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return [line, offset - before.lastIndexOf('\n')];
}

// Blank out comments and the inside of string literals (same length, quotes kept) so the
// portability checks see code only.
function codeOnly(text) {
  return text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, (m) =>
    m.startsWith('/') ? m.replace(/[^\n]/g, ' ') : m[0] + m.slice(1, -1).replace(/[^\n]/g, 'x') + m[0],
  );
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  let schema;
  try {
    schema = loadSchema(opts);
  } catch (err) {
    console.error(`cypher-lint: ${err.message}`);
    return 2;
  }
  const files = collectFiles(opts.paths);
  if (!files.length) {
    console.error('cypher-lint: no .cypher files found');
    return 2;
  }
  const baseSchema = {
    ...schema,
    functions: testData.mockSchema.functions,
    procedures: testData.mockSchema.procedures,
  };
  let problems = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const shown = relative(process.cwd(), file) || file;
    const report = (line, col, severity, message) => {
      problems += 1;
      console.log(`${shown}:${line}:${col}: ${severity}: ${message}`);
    };
    if (!codeOnly(text).trim()) {
      report(1, 1, 'error', 'no Cypher in file');
      continue;
    }
    const dbSchema = opts.ignoreParams ? baseSchema : { ...baseSchema, parameters: headerParams(text) };
    let diagnostics = lintCypherQuery(text, dbSchema, { consoleCommandsEnabled: false }).diagnostics;
    if (opts.ignoreParams) diagnostics = diagnostics.filter(isNotParamError);
    for (const d of diagnostics) {
      const severity = d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info';
      report(d.range.start.line + 1, d.range.start.character + 1, severity, d.message.replace(/\s+/g, ' '));
    }
    const code = codeOnly(text);
    for (const [re, message] of PORTABILITY) {
      re.lastIndex = 0;
      for (const m of code.matchAll(re)) {
        const [line, col] = lineCol(text, m.index);
        report(line, col, 'error', `portability: ${message}`);
      }
    }
  }
  console.log(`cypher-lint: ${files.length} file(s), ${problems} problem(s)`);
  return problems ? 1 : 0;
}

process.exitCode = main();
