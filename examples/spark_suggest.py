"""Rule suggestions for a corpus too large for one machine: a PySpark job.

Each partition of a JSONL corpus (one {"id", "text", ...} object per line)
is piped through the `sayso` binary (`sayso suggest --jsonl - -`, which
streams with flat memory and writes one line per input line, in order), and
the output is written as JSONL parts. The binary is shipped to the
executors with `--files` (or `SparkContext.addFile`) and found there with
`SparkFiles.get`.

Local mode (one machine, all cores):

    spark-submit --master 'local[*]' --files target/release/sayso \
        examples/spark_suggest.py corpus.jsonl out/

A cluster (YARN shown; the binary must be built for the executors' OS):

    spark-submit --master yarn --deploy-mode cluster --files target/release/sayso \
        examples/spark_suggest.py hdfs:///corpora/news.jsonl hdfs:///corpora/news.suggested/

Options: `--partitions N` (default: Spark's), `--threads N` (the `--threads`
of each `sayso` process; default 1, as Spark already runs one task per
core), `--rules FILE` (shipped with `--files` too, and named here by its
file name).
"""

import argparse
import os
import stat
import sys

from pyspark import SparkFiles
from pyspark.sql import SparkSession


def sayso_command(binary_name, threads, rules_name):
    """The command each partition is piped through, with the shipped files
    resolved on the executor."""
    binary = SparkFiles.get(binary_name)
    mode = os.stat(binary).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(binary, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    cmd = [binary, "suggest", "--jsonl", "-", "-", "--threads", str(threads)]
    if rules_name:
        cmd += ["--rules", SparkFiles.get(rules_name)]
    return cmd


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", help="JSONL corpus (a file, folder or glob Spark can read)")
    ap.add_argument("output", help="output folder for the JSONL parts")
    ap.add_argument("--binary", default="sayso", help="file name of the shipped binary")
    ap.add_argument("--partitions", type=int, default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rules", default=None, help="file name of a shipped rule file")
    args = ap.parse_args(argv)

    spark = SparkSession.builder.appName("sayso-suggest").getOrCreate()
    sc = spark.sparkContext
    lines = sc.textFile(args.input)
    if args.partitions:
        lines = lines.repartition(args.partitions)
    # Blank lines give no output line in `sayso`; drop them so that every
    # input line gives exactly one output line.
    lines = lines.filter(lambda l: l.strip() != "")

    def run_partition(it):
        import subprocess
        import threading

        cmd = sayso_command(args.binary, args.threads, args.rules)
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        err = []

        def feed():
            try:
                for line in it:
                    proc.stdin.write(line.encode("utf-8") + b"\n")
            finally:
                proc.stdin.close()

        def drain():
            err.append(proc.stderr.read())

        writer = threading.Thread(target=feed)
        reader = threading.Thread(target=drain)
        writer.start()
        reader.start()
        for out in proc.stdout:
            yield out.decode("utf-8").rstrip("\n")
        writer.join()
        reader.join()
        if proc.wait() != 0:
            raise RuntimeError(
                "sayso failed: " + b"".join(err).decode("utf-8", "replace")[-2000:]
            )

    lines.mapPartitions(run_partition).saveAsTextFile(args.output)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
