"""What each page and command may cost in queries: one named number, shared by every test.

Tests pin these with pytest-django's ``django_assert_num_queries`` (exactly) or
``django_assert_max_num_queries`` (at most); run with ``-v`` to see the statements of a
failing count. A change here is a change to the cost of a page, so say why in review.
"""

# The public story pages
HOME_QUERIES = 6  # stories + countries, prayer + points, campaign, top ten of the latest year
STORY_LIST_QUERIES = 4  # count, page of stories, their countries, countries for the filter
STORY_LIST_BY_COUNTRY_QUERIES = 5  # the country, then as the story list
STORY_DETAIL_QUERIES = 6  # story + prayer, countries, spokespeople, quotes, points, campaigns
SPOKESPERSON_DETAIL_QUERIES = 3  # spokesperson, their stories, the stories' countries
PRAYER_LIST_QUERIES = 3  # count, page of prayer requests, their points
PRAYER_DETAIL_QUERIES = 4  # prayer request, points, countries, stories
SEARCH_QUERIES = 2  # count of all the matches, then the page's rows (one UNION each)
WATCH_LIST_QUERIES = 2  # years, entries with countries
COUNTRY_DETAIL_QUERIES = 6  # country, its entry in the latest year, stories, countries, prayers,
# points

# The public campaign pages
CAMPAIGN_LIST_QUERIES = 2  # live campaigns, their parliaments
CAMPAIGN_DETAIL_QUERIES = 5  # campaign + spokesperson + prayer, parliaments, actions, stories,
# points
EMBED_QUERIES = 1  # the campaign: the embedded postcode step shows only its own fields
WRITE_QUERIES = 4  # campaign, parliaments, then the lookup's shares and members
COMPOSE_QUERIES = 6  # campaign, parliaments, templates, actions with their supporters' ids,
# shares, members: the drafts use only what is prefetched
# A letter POST (the compose page's, "print and post"), for any number of members
LETTER_POST_QUERIES = 10  # campaign, parliaments, templates, actions, shares, members, then
# BEGIN, one insert of the letters, the count's update, COMMIT (no letter is read back)
LETTER_POST_KEPT_QUERIES = 7  # the same with the campaign kept in the process: the content
# version instead of its four queries (campaigns.letters.open_campaigns)

# The POST of a confirmation link for one letter of ours (campaigns.views.confirm)
CONFIRM_POST_QUERIES = 15  # the letters, BEGIN; the letter's row lock, counted?, update,
# counted?, the count's update; the member's row lock, their hours taken, the slot's update;
# the task's insert, its id on the letter; COMMIT (in tests: savepoints for BEGIN and COMMIT)

# "Did your member reply?" (campaigns.replies): the page a question's link opens
REPLY_PAGE_QUERIES = 2  # the letter with its campaign and parliament, the supporter's other
# letters asked about in the same email (with their parliaments)
REPLY_POST_QUERIES = 5  # the letter, then SAVEPOINT, the letter locked, its update, RELEASE
# send_reply_questions: two queries with nothing due, then the same for each email it sends
REPLY_JOB_IDLE_QUERIES = 2  # supporters with a first question due, then a second
REPLY_JOB_QUERIES_PER_EMAIL = 5  # SAVEPOINT, their letters locked, marked asked, read with
# their campaign and parliament for the email, RELEASE

# Ireland (no Eircode table): the Dáil constituencies take the place of the postcode shares
DAIL_PAGE_QUERIES = 2  # /representatives/ireland/: the constituencies, the chosen one's TDs

BOOKLET_ORDER_QUERIES = 2  # the booklet's settings, the latest year of the list

# A postcode lookup, whatever the data: campaigns.lookup.service.MAX_QUERIES must stay this.
LOOKUP_MAX_QUERIES = 3

# Commands: at most this many, however many rows they read.
REIMPORT_MAX_QUERIES = 20  # import_representatives run again on unchanged files: reads only
RENDER_LETTERS_MAX_QUERIES = 9  # render_letters for one parliament, however many members

# The campaign summary in the admin
LETTER_SUMMARY_QUERIES = 1  # one aggregate counts every stage and delivery

# A campaign's results page in the admin, for any number of letters (campaigns.results)
RESULTS_QUERIES = 13  # session, user, the campaign, the user's and their groups' permissions,
# then: one GROUP BY of delivery, state, source and reply; one by member; the supports of its
# actions; its parliaments; letters per day; their members in office, counted; the MPs in
# office now (the map); whether they get its weekly summary

# The admin's "Scheduled" page
SCHEDULE_QUERIES = 6  # session, user, stories, spokespeople, prayer requests, campaigns

# A 404 on a public page: only these pay for the take-down check (core.takedown) and the
# redirects' look-up (core.redirects)
REDIRECT_MISSED_QUERIES = 3  # the story the address names, was it taken down, the redirect
REDIRECT_FOLLOWED_QUERIES = 4  # the same three, then the redirect's public item

# The "Checks before publishing" panel on a story's change form
CHECKLIST_STORY_QUERIES = 9  # quotes, spokespeople (its version), changed names, quotes and
# spokespeople (whom the note covers), withheld names, allowed words, the story and its quotes

# The admin's "Waiting for me" page, for a Safeguarding reviewer (who may act on all four)
WAITING_QUERIES = 8  # session, user, their permissions, their groups' permissions, then
# one per workflow model: stories, spokespeople, prayer requests, campaigns
