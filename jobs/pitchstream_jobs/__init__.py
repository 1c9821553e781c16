"""pitchstream's PySpark jobs: the shared package (runtime, Arrow output, pure transforms).

Entry scripts live next to this package (jobs/<job>.py); lib/spark zips this package and passes
it to spark-submit with --py-files, so it is importable on the driver and on every executor.
"""
