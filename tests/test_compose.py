"""docker-compose.yml and Dockerfile: structure always; `compose config` when a client exists."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _compose_cmd() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_compose_config_validates():
    cmd = _compose_cmd()
    if cmd is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    res = subprocess.run([*cmd, "-f", str(COMPOSE), "config", "-q"], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr


def test_neo4j_service(compose):
    neo = compose["services"]["neo4j"]
    assert neo["image"].startswith("neo4j:5")
    assert "${NEO4J_USER" in neo["environment"]["NEO4J_AUTH"] and "${NEO4J_PASSWORD" in neo["environment"]["NEO4J_AUTH"]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in neo["volumes"]}
    assert mounts["/data"] in compose["volumes"]                 # a named volume, not a bind mount
    test = " ".join(neo["healthcheck"]["test"])
    assert "cypher-shell" in test or "7474" in test


def test_api_service(compose):
    api = compose["services"]["api"]
    assert api["build"]["dockerfile"] == "Dockerfile"
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = api["environment"]
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert "NEO4J_USER" in env and "NEO4J_PASSWORD" in env
    cmd = api["command"]
    assert cmd[0] == "plangraph" and "serve" in cmd and "neo4j" in cmd and "0.0.0.0" in cmd


def test_dockerfile():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert text.startswith("#") and "FROM python:3.11-slim" in text
    assert "pip install ." in text and "plangraph" in text and "serve" in text
