"""The live index's example questions (see `engine/examples.py` for what they are and why): the gold set's, as the
package ships them, and the questions officials asked whose answer they rated helpful."""

from .engine.examples import merge, shipped_examples, without_numbers


def feedback_examples():
    """{record id: [questions]} from staff questions rated helpful, attributed to the record the answer came from."""
    from .models import Turn

    examples = {}
    turns = (
        Turn.objects.filter(channel=Turn.Channel.STAFF, answered=True, feedback__helpful=True)
        .exclude(feedback__helpful=False)
        .exclude(mode=Turn.Mode.CLARIFY, chosen="")  # a choice offered, none taken: no answer to learn from
        .values_list("question", "sources", "chosen")
        .distinct()
    )
    for question, sources, chosen in turns.iterator():
        # The record the answer was composed from: the one chosen in a clarification, else the first source.
        record_id = chosen or (sources[0].get("id") if sources else None)
        if record_id:
            examples.setdefault(record_id, []).append(without_numbers(question))
    return examples


def live_examples():
    """{record id: [questions]} for the live index: the shipped gold-set questions, then officials' helpful ones."""
    return merge(shipped_examples(), feedback_examples())
