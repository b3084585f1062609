"""Conversion over several processes (``convert(..., jobs=N)``, ``vstd convert --jobs``).

Validation's worker machinery (``volunteer_standard.validation.parallel``) cuts the input
into batches of lines and runs them in order; here a batch is also judged as ``convert``
judges each record, and each record to write comes back encoded by the target's writer
(its ``encode`` function), so that the main process only writes bytes, in input order,
and hands rejects to the reject sink: the output, the reject file and the summary are
those of a single-process run.

Which runs use workers: a standard JSON Lines source (file or stream) of a few MiB or
more, and a target whose writer offers ``encode`` and ``write_encoded`` (the standard
connector's JSON Lines and JSON package writers). Everything else converts in one process.
"""
