# Django's Vietnamese formats leave NUMBER_GROUPING at 0, so `intcomma` printed 21516; Vietnamese writes 21.516.
# Everything else falls back to Django's own vi formats.
NUMBER_GROUPING = 3
