"""Driver of the streamparse-wordcount conformance case, run with the
streamparse virtualenv's python.

  sparse_project.py prepare --dest DIR --nimbus HOST:PORT --ui-port N --counts DIR
      Lays out a streamparse project in DIR: the word count of wordcount/
      (topologies/, src/), a config.json whose one environment, "gale",
      names Gale's Nimbus and the Storm UI, and the topology jar
      _build/wordcount.jar. The jar is what `sparse jar` builds with
      Leiningen, built here without Leiningen or a JVM: streamparse's own
      prepare_topology() copies src/ to _resources/resources/, and the jar
      holds _resources' contents (resources/*.py) and a manifest. The
      environment uses this virtualenv as the topology's (use_virtualenv,
      with install_virtualenv off: it exists on this machine), so
      streamparse points every ShellComponent at its streamparse_run.
      Prints {"project": DIR, "jar": JAR} as JSON.

  sparse_project.py counts DIR
      Sums the counts the bolt tasks wrote to DIR/task-*.json; prints
      {"tasks": n, "total": t, "words": {word: count}} as JSON.

  sparse_project.py list ENV          (in the project directory)
      streamparse's own `sparse list` path (its thriftpy2 Nimbus client from
      config.json, cli.list._list_topologies), printed as JSON: the table
      `sparse list` draws wraps long values.

  sparse_project.py stats ENV NAME    (in the project directory)
      What `sparse stats --name NAME` runs once its Leiningen check of the
      project's storm-core version (`lein deps :tree`) has passed:
      cli.stats.display_stats, which prints the tables from the Storm UI's
      REST API; then the topology page it read
      (cli.stats._get_topology_ui_detail) as one JSON line.
"""

import argparse
import glob
import json
import os
import shutil
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def prepare(args):
    dest = os.path.abspath(args.dest)
    if os.path.exists(dest):
        shutil.rmtree(dest)
    shutil.copytree(os.path.join(HERE, "wordcount"), dest)
    venv = sys.prefix
    config = {
        "serializer": "json",
        "topology_specs": "topologies/",
        "virtualenv_specs": "virtualenvs/",
        "envs": {
            "gale": {
                "user": "",
                "nimbus": args.nimbus,
                "workers": ["127.0.0.1"],
                "log": {"path": os.path.join(dest, "logs"), "level": "info"},
                "use_ssh_for_nimbus": False,
                "use_virtualenv": True,
                "install_virtualenv": False,
                "virtualenv_root": os.path.dirname(venv),
                "virtualenv_name": os.path.basename(venv),
                "ui.port": args.ui_port,
                "options": {"gale.streamparse.counts": os.path.abspath(args.counts)},
            }
        },
    }
    with open(os.path.join(dest, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    os.makedirs(os.path.join(dest, "logs"), exist_ok=True)

    os.chdir(dest)
    from streamparse.util import prepare_topology

    prepare_topology()  # src/ -> _resources/resources/
    os.makedirs("_build", exist_ok=True)
    jar = os.path.join(dest, "_build", "wordcount.jar")
    with zipfile.ZipFile(jar, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nCreated-By: gale conformance\r\n\r\n")
        for root, _, files in os.walk("_resources"):
            for name in sorted(files):
                if name.endswith(".pyc"):
                    continue
                path = os.path.join(root, name)
                z.write(path, os.path.relpath(path, "_resources"))
    print(json.dumps({"project": dest, "jar": jar}))


def counts(args):
    words = {}
    tasks = 0
    for path in sorted(glob.glob(os.path.join(args.dir, "task-*.json"))):
        with open(path) as f:
            data = json.load(f)
        tasks += 1
        for word, n in data["counts"].items():
            words[word] = words.get(word, 0) + n
    print(json.dumps({"tasks": tasks, "total": sum(words.values()), "words": words}, sort_keys=True))


def list_topologies(args):
    from streamparse.cli.list import _list_topologies
    from streamparse.util import get_env_config, get_nimbus_client, ssh_tunnel

    _, env_config = get_env_config(args.env)
    with ssh_tunnel(env_config) as (host, port):
        topologies = _list_topologies(get_nimbus_client(env_config, host=host, port=port))
    print(json.dumps([vars(t) for t in topologies or []], sort_keys=True))


def stats(args):
    from streamparse.cli.stats import _get_topology_ui_detail, display_stats

    display_stats(args.env, topology_name=args.name)
    print(json.dumps(_get_topology_ui_detail(args.env, args.name), sort_keys=True))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--dest", required=True)
    p.add_argument("--nimbus", required=True)
    p.add_argument("--ui-port", type=int, required=True)
    p.add_argument("--counts", required=True)
    p.set_defaults(func=prepare)
    c = sub.add_parser("counts")
    c.add_argument("dir")
    c.set_defaults(func=counts)
    ls = sub.add_parser("list")
    ls.add_argument("env")
    ls.set_defaults(func=list_topologies)
    st = sub.add_parser("stats")
    st.add_argument("env")
    st.add_argument("name")
    st.set_defaults(func=stats)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
