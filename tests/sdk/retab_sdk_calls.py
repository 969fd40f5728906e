"""Retab's own SDK (retab==0.0.160), unmodified, calling the experiments namespace of the fake.

Run by tests/test_retab_sdk.py in a venv holding only Retab's SDK, against
`retab-runs serve --sample` (RETAB_API_KEY and RETAB_API_BASE_URL point at it):
each call of the SDK's experiments, results and metrics resources must reach
the fake and come back as the SDK's own models. Prints one line per call.
"""

from retab import Retab

client = Retab()
experiments = client.workflows.experiments

page = experiments.list(workflow_id="wf_demo", limit=1)
print("experiments.list", [e.id for e in page.data], page.list_metadata.after)
every = [e.id for e in experiments.list(workflow_id="wf_demo").data]
print("experiments.list (all)", every)
got = experiments.get("exp_invoices")
print("experiments.get", got.id, got.status, got.n_consensus)
made = experiments.create(workflow_id="wf_demo", name="From Retab's SDK", n_consensus=5)
print("experiments.create", made.name, made.n_consensus)
renamed = experiments.update(made.id, name="Renamed")
print("experiments.update", renamed.name, renamed.n_consensus)
print("experiments.delete", experiments.delete(made.id))
results = experiments.results.list(run_id="exprun_inv_06", limit=5)
print("results.list", len(results.data), results.data[0].document_id)
one = experiments.results.get(results.data[0].id)
print("results.get", one.id, one.document_id)
for view in ("summary", "by_document", "by_target", "votes"):
    metrics = experiments.metrics.get("exprun_inv_06", view=view)
    print("metrics.get", view, metrics.kind, metrics.score, metrics.prior_score)
print("metrics.get no_metrics", experiments.metrics.get("exprun_inv_07").kind)
