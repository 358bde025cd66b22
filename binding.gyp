{
  "targets": [
    {
      "target_name": "grove_scan",
      "sources": ["native/scan.c", "native/scanner.c", "native/listing.c", "native/job-heap.c"],
      "cflags": ["-O2", "-std=gnu11", "-ffp-contract=off", "-Wall", "-Wextra"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
