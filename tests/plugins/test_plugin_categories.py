"""A tenant's category tree: the plugin defaults with additions, renames, disabling, reordering."""

from __future__ import annotations

import msgspec
import pytest

from core.plugin_api import CategoryOverrides, Names, find_category, iter_categories
from core.plugin_categories import CategoryOverrideError, effective_categories
from core.plugins import get_sector, tenant_categories, validate_config


def overrides(data: dict) -> CategoryOverrides:
    return msgspec.convert(data, CategoryOverrides, strict=True)


def codes(tree: list) -> list[str]:
    return [c.code for c in iter_categories(tree)]


HOSPITAL = get_sector("hospital").categories


def test_no_overrides_keeps_the_defaults():
    assert effective_categories(HOSPITAL, CategoryOverrides()) == HOSPITAL


def test_add_a_top_level_and_a_child_category():
    tree = effective_categories(
        HOSPITAL,
        overrides(
            {
                "add": [
                    {"code": "parking", "names": {"zh-CN": "停车", "en": "Parking"}},
                    {"code": "medical.night_clinic", "names": {"zh-CN": "夜间门诊", "en": "Night clinic"}},
                ]
            }
        ),
    )
    assert codes(tree)[-1] == "parking"
    medical = find_category(tree, "medical")
    assert medical is not None and medical.children[-1].code == "medical.night_clinic"
    assert find_category(tree, "medical.night_clinic").source == "tenant"


def test_rename_one_or_both_languages():
    tree = effective_categories(HOSPITAL, overrides({"rename": {"conduct": {"zh-CN": "行风"}}}))
    assert find_category(tree, "conduct").names == Names("行风", "Professional conduct")


def test_disable_removes_the_subtree():
    tree = effective_categories(HOSPITAL, overrides({"disable": ["medical"]}))
    assert not [c for c in codes(tree) if c.startswith("medical")]


def test_reorder_puts_the_listed_children_first():
    tree = effective_categories(
        HOSPITAL, overrides({"order": {"": ["privacy", "conduct"], "medical": ["medical.accident"]}})
    )
    assert [c.code for c in tree][:3] == ["privacy", "conduct", "medical"]
    assert find_category(tree, "medical").children[0].code == "medical.accident"


def test_every_bad_override_is_reported_with_its_path():
    with pytest.raises(CategoryOverrideError) as err:
        effective_categories(
            HOSPITAL,
            overrides(
                {
                    "add": [
                        {"code": "conduct", "names": {"zh-CN": "x", "en": "x"}},
                        {"code": "ghost.child", "names": {"zh-CN": "x", "en": "x"}},
                    ],
                    "rename": {"nope": {"en": "x"}},
                    "order": {"medical": ["conduct"]},
                }
            ),
        )
    assert [e["field"] for e in err.value.errors] == [
        "$.add[0].code",
        "$.add[1].code",
        "$.rename['nope']",
        "$.order['medical'][0]",
    ]


def test_a_bad_code_pattern_fails_at_config_validation():
    with pytest.raises(Exception, match=r"\$\.categories\.add\[0\]\.code"):
        validate_config(
            "hospital", {"categories": {"add": [{"code": "Has Space", "names": {"zh-CN": "x", "en": "x"}}]}}
        )


def test_the_tenant_tree_follows_the_tenant_config(enable, draft):
    tp = enable(
        "school",
        {
            "categories": {
                "disable": ["teaching"],
                "add": [{"code": "canteen", "names": {"zh-CN": "食堂", "en": "Canteen"}}],
            }
        },
    )
    assert "teaching" not in codes(tp.categories("school")) and "canteen" in codes(tp.categories("school"))
    assert tenant_categories("school", tp.enabled["school"]) == tp.categories("school")
    problems = tp.validate_intake(
        draft("school", "teaching", extra={"child_name": "小明"}, complainant=None, anonymous=True)
    )
    assert [p.field for p in problems] == ["category"]


def test_the_tree_of_a_sector_with_stored_json_overrides():
    tree = effective_categories(get_sector("school"), {"disable": ["hygiene"]})
    assert "hygiene" not in codes(tree)
    with pytest.raises(CategoryOverrideError) as err:
        effective_categories(get_sector("school"), {"disable": "hygiene"})
    assert err.value.errors[0]["field"] == "$.disable"
