"""Many units at once: batches (process pool or Dask), the county roll-up, synthetic townships."""
