"""End-to-end check of bitplan_client.py against a running service; run by the test suite:
    python3 check_client.py --server http://127.0.0.1:PORT
Prints ok and exits 0 when every check holds."""

import argparse
import sys

from bitplan_client import Bitplan, BitplanError


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    client = Bitplan(parser.parse_args().server, timeout=60)

    assert client.health()["status"] == "ok"
    names = [s["name"] for s in client.seeds()]
    assert "resnet18-hawq-v3" in names, names
    assert any(h["id"] == "nvidia-t4" for h in client.hardware())

    plan = client.plan(seed="resnet18-hawq-v3", budgets=[{"metric": "bops", "fraction": 0.25}])
    assert plan["status"] == "optimal", plan["status"]
    chosen = {layer["name"]: layer["candidate"] for layer in plan["layers"]}
    assert chosen["stage1.unit1.convbn1"] == "int8/int8" and chosen["stage4.unit2.convbn2"] == "int4/int4", chosen

    frontier = client.frontier(seed="resnet18-hawq-v3", axis="sizeBytes", points=12)
    points = frontier["points"]
    assert all(a["cost"] < b["cost"] and a["sensitivity"] > b["sensitivity"] for a, b in zip(points, points[1:]))
    knee = frontier["knee"]
    choice = Bitplan.apply(frontier, knee)
    assert len(choice) == len(frontier["layers"])

    # Apply the knee: pin every layer to it and export HAWQ's bit_config.
    model = Bitplan.pinned(client.seed("resnet18-hawq-v3")["model"], choice)
    pinned_plan = client.plan(model=model)
    assert abs(pinned_plan["totals"]["sensitivity"] - points[knee]["sensitivity"]) < 1e-9 * max(1.0, points[knee]["sensitivity"])
    config = client.plan(model=model, format="hawq")
    assert 'bit_config_dict["bit_config_resnet18_bitplan"]' in config, config[:200]

    svg = client.frontier(seed="resnet18-hawq-v3", axis="sizeBytes", points=5, format="svg")
    assert svg.startswith("<svg"), svg[:80]

    try:
        client.plan(seed="resnet18-hawq-v3", budgets=[{"metric": "sizeBytes", "max": 1}])
        raise AssertionError("an impossible budget must raise")
    except BitplanError as error:
        assert error.status == 422 and error.infeasible, error
    try:
        client.plan(seed="resnet18-hawq-v3", candidates=["int9/int9"])
        raise AssertionError("an unknown candidate must raise")
    except BitplanError as error:
        assert error.status == 400 and error.errors[0]["path"] == "candidates[0]", error
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
