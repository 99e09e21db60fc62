"""Story topics for the demo content: original wording, Canadian subjects.

Each topic gives the words a generated story is built from. Stories of one topic
share vocabulary and tags, so related-story lists and search have something real
to find. ``label`` is the topic itself, kept for evaluations (never shown).
"""

SECTIONS = [
    ("Canada", "canada", "News from across the country."),
    ("Politics", "politics", "Parliament, the provinces and city halls."),
    ("Business", "business", "Markets, jobs, housing and the economy."),
    ("World", "world", "International news with a Canadian eye."),
    ("Sports", "sports", "Hockey, soccer, basketball and more."),
    ("Arts", "arts", "Books, film, music and the stage."),
    ("Opinion", "opinion", "Columns and editorials."),
]

PLACES = [
    "Halifax", "Moncton", "Fredericton", "Charlottetown", "St. John's", "Quebec City",
    "Montreal", "Ottawa", "Toronto", "Hamilton", "London, Ont.", "Sudbury", "Thunder Bay",
    "Winnipeg", "Regina", "Saskatoon", "Calgary", "Edmonton", "Kelowna", "Vancouver",
    "Victoria", "Whitehorse", "Yellowknife", "Iqaluit",
]  # fmt: skip

PROVINCES = [
    "Nova Scotia", "New Brunswick", "Prince Edward Island", "Newfoundland and Labrador",
    "Quebec", "Ontario", "Manitoba", "Saskatchewan", "Alberta", "British Columbia",
]  # fmt: skip

FIRST_NAMES = [
    "Amara", "Benoît", "Chloé", "Daniel", "Élise", "Farah", "Gurpreet", "Hannah", "Isaac",
    "Jasmine", "Kwame", "Liam", "Mei", "Nadia", "Owen", "Priya", "Raphaël", "Sofia",
    "Tariq", "Valérie", "William", "Yusuf", "Zoé", "Marc", "Aisha", "Connor",
]  # fmt: skip
LAST_NAMES = [
    "Tremblay", "Singh", "MacDonald", "Nguyen", "Gagnon", "Chen", "Roy", "Okafor", "Martin",
    "Patel", "Bouchard", "Campbell", "Wong", "Lavoie", "Ahmed", "Fraser", "Côté", "Kim",
    "Morrison", "Pelletier", "Haddad", "Sinclair", "Bergeron", "Thompson",
]  # fmt: skip

ROLES = [
    "a spokesperson for the city", "a professor at the University of Manitoba",
    "a union representative", "a local business owner", "an economist at a Toronto bank",
    "the regional director", "a community organizer", "a provincial official",
    "a researcher at McGill University", "a longtime resident",
]  # fmt: skip

# Each topic: label, section slug, tags, headline patterns, standfirst patterns,
# fact sentences, quotes, subheads. {place}, {province}, {n}, {pct}, {money} are filled in.
TOPICS = [
    {
        "label": "wildfires",
        "section": "canada",
        "tags": ["Wildfires", "Climate", "Emergency management"],
        "headlines": [
            "Wildfire forces evacuation of thousands near {place}",
            "Crews battle out-of-control wildfire as smoke blankets {place}",
            "{province} declares emergency as wildfire season worsens",
            "Evacuees from {place} wait for word on homes as fire grows",
        ],
        "standfirsts": [
            "Fire officials say dry conditions and strong winds pushed the blaze {n} kilometres in a day.",
            "Residents were given hours to leave as the fire jumped a highway north of town.",
        ],
        "facts": [
            "The fire has burned more than {n},000 hectares since it was sparked by lightning last week.",
            "Water bombers from three provinces joined ground crews working through the night.",
            "Smoke from the blaze pushed air quality readings to the highest risk level.",
            "Evacuees have been sent to a reception centre set up in a school gymnasium.",
            "Officials said a shift in the wind could bring the fire within kilometres of homes.",
            "The wildfire service warned that the season is running well ahead of the ten-year average.",
            "Firefighters from Australia and the United States arrived to relieve exhausted crews.",
            "Highway closures have cut off the only road out of several communities.",
        ],
        "quotes": [
            "We packed what we could carry and left. We don't know what we'll come back to.",
            "The fire behaviour we are seeing is extreme for this time of year.",
        ],
        "subheads": ["Crews stretched thin", "Smoke and air quality", "What evacuees need"],
    },
    {
        "label": "housing",
        "section": "business",
        "tags": ["Housing", "Real estate", "Interest rates"],
        "headlines": [
            "Home sales in {place} fall {pct} per cent as buyers wait out rates",
            "Rents in {place} hit record as vacancy rate stays near zero",
            "First-time buyers priced out of {place} market, report finds",
            "Housing starts climb in {province} but fall short of targets",
        ],
        "standfirsts": [
            "The average price of a detached home now sits at about {money}, according to the local real estate board.",
            "Builders say high borrowing costs and labour shortages are slowing new construction.",
        ],
        "facts": [
            "The benchmark price of a home in the region fell {pct} per cent from a year earlier.",
            "Rental vacancy in the city is below two per cent, the housing agency reported.",
            "Mortgage renewals at higher rates are squeezing households that bought in recent years.",
            "Construction of purpose-built rentals has picked up, but demand still outpaces supply.",
            "Realtors said listings rose as some owners chose to sell rather than renew their mortgages.",
            "A family earning the median income would spend more than half its pay on housing costs.",
            "The province promised to speed up permits for multi-unit buildings near transit.",
        ],
        "quotes": [
            "Every month we wait, the rent goes up again. Saving for a down payment feels impossible.",
            "Supply is the whole story. We simply haven't built enough homes for the people who live here.",
        ],
        "subheads": ["Renters under pressure", "Builders cautious", "What comes next for buyers"],
    },
    {
        "label": "interest-rates",
        "section": "business",
        "tags": ["Bank of Canada", "Interest rates", "Inflation"],
        "headlines": [
            "Bank of Canada holds key rate as inflation cools to {pct} per cent",
            "Bank of Canada cuts rate by a quarter point, signals more to come",
            "Inflation eases in October on lower gasoline prices",
            "Economists split on Bank of Canada's next move",
        ],
        "standfirsts": [
            "The central bank said the economy has room to grow without pushing prices higher.",
            "Grocery and shelter costs remain the largest contributors to the consumer price index.",
        ],
        "facts": [
            "The bank's policy rate now stands at {pct} per cent after the decision.",
            "Annual inflation slowed to {pct} per cent, Statistics Canada said in its monthly report.",
            "The governor said officials are watching wage growth and shelter costs closely.",
            "Bond yields fell after the announcement as traders priced in further cuts.",
            "The loonie weakened against the U.S. dollar following the decision.",
            "Variable-rate mortgage holders will see lower payments within weeks.",
            "The bank's next rate announcement is scheduled for six weeks from now.",
        ],
        "quotes": [
            "We want to see inflation stay close to our target before we make further moves.",
            "Households have felt the pinch of higher borrowing costs for two years now.",
        ],
        "subheads": ["Prices at the grocery store", "Markets react", "Mortgage holders"],
    },
    {
        "label": "federal-budget",
        "section": "politics",
        "tags": ["Federal budget", "Parliament", "Taxes"],
        "headlines": [
            "Federal budget projects ${n} billion deficit, new spending on defence",
            "Finance minister tables budget with tax relief for middle class",
            "Opposition vows to vote against budget over deficit",
            "What the federal budget means for families in {province}",
        ],
        "standfirsts": [
            "The government says the spending will be paid for by growth and a new tax on large banks.",
            "Budget documents show program spending rising {pct} per cent over the next year.",
        ],
        "facts": [
            "The deficit is forecast to shrink over five years as the economy grows.",
            "New money for defence brings Canada closer to the NATO spending target.",
            "The budget extends a rebate on home heating costs for rural households.",
            "The parliamentary budget officer questioned the revenue assumptions in the plan.",
            "Debt charges now cost more each year than the federal transfer for health care.",
            "The government will need support from at least one opposition party to pass the budget.",
            "Provincial premiers said the plan shortchanges them on infrastructure.",
        ],
        "quotes": [
            "This is a budget for working families, and it keeps our finances on a responsible path.",
            "They are borrowing from our children to pay for today's promises.",
        ],
        "subheads": ["Where the money goes", "Reaction on Parliament Hill", "The fiscal outlook"],
    },
    {
        "label": "election",
        "section": "politics",
        "tags": ["Elections", "Polls", "Parliament"],
        "headlines": [
            "Party leaders make final push in {province} ridings",
            "New poll shows tight race as campaign enters final week",
            "Byelection in {place} seen as test for government",
            "Voter turnout in advance polls up {pct} per cent, Elections Canada says",
        ],
        "standfirsts": [
            "Strategists say a handful of suburban ridings will decide who forms government.",
            "The leaders crisscrossed the country with promises on housing and affordability.",
        ],
        "facts": [
            "Advance polls drew more voters than in the last general election.",
            "The latest poll puts the two main parties within {n} points of each other.",
            "Candidates knocked on doors in the rain in the final days of the campaign.",
            "Elections Canada reminded voters they need identification at the polling station.",
            "The leaders' debate focused on the cost of living and health-care wait times.",
            "Several ridings changed boundaries after the latest redistribution.",
            "Campaign volunteers say housing costs come up at nearly every door.",
        ],
        "quotes": [
            "People here want to know who will make life more affordable. That's the only question.",
            "Campaigns matter, and this one is far from over.",
        ],
        "subheads": ["The ridings to watch", "On the campaign trail", "What the polls say"],
    },
    {
        "label": "health-care",
        "section": "canada",
        "tags": ["Health care", "Hospitals", "Nurses"],
        "headlines": [
            "Emergency room in {place} closes overnight amid nursing shortage",
            "{province} to hire {n}00 nurses to cut surgery wait times",
            "Patients wait hours as hospitals in {province} face record demand",
            "Family doctor shortage leaves thousands without care in {place}",
        ],
        "standfirsts": [
            "Health officials say staffing gaps have forced temporary closures at rural hospitals.",
            "The province says new funding will open more operating-room hours by spring.",
        ],
        "facts": [
            "Roughly one in five residents of the province has no family doctor.",
            "The emergency department will close from 7 p.m. to 7 a.m. for at least two weeks.",
            "Nurses' unions say overtime has become routine on many wards.",
            "Wait times for hip and knee replacements exceed the national benchmark.",
            "The province is fast-tracking licences for internationally trained physicians.",
            "Paramedics reported long delays handing patients over at busy hospitals.",
            "The health minister said new clinics will open in underserved towns.",
        ],
        "quotes": [
            "We are exhausted. Nurses are leaving faster than they can be replaced.",
            "No one should have to drive two hours to find an open emergency room.",
        ],
        "subheads": ["Staffing crunch", "Patients left waiting", "The province's plan"],
    },
    {
        "label": "hockey",
        "section": "sports",
        "tags": ["NHL", "Hockey", "Playoffs"],
        "headlines": [
            "Oilers edge Flames 3-2 in overtime thriller",
            "Canadiens rookie scores twice in win over Maple Leafs",
            "Canucks clinch playoff spot with late goal",
            "Jets goaltender stops 3{n} shots in shutout win",
        ],
        "standfirsts": [
            "The winning goal came on a power play with less than a minute left in overtime.",
            "The victory extends the team's winning streak to {n} games.",
        ],
        "facts": [
            "The captain added two assists and now leads the team in points this season.",
            "The goaltender was named first star after a career-high save total.",
            "The penalty kill went four for four, including a long five-on-three.",
            "Fans in the arena chanted the rookie's name after his second goal.",
            "The coach shuffled his lines in the second period to spark the offence.",
            "The team has won seven of its last ten games on home ice.",
            "The defenceman left the game in the third period with an upper-body injury.",
        ],
        "quotes": [
            "We stuck with it. Nobody panicked when we went down early.",
            "You dream about scoring a goal like that in front of your home crowd.",
        ],
        "subheads": ["Turning point", "Goaltending duel", "Up next"],
    },
    {
        "label": "soccer",
        "section": "sports",
        "tags": ["Soccer", "Canadian Premier League", "World Cup"],
        "headlines": [
            "Canada's women's team beats Mexico {n}-0 in friendly",
            "Forge FC wins Canadian Premier League final",
            "Canada names roster for World Cup qualifier",
            "Whitecaps sign young midfielder from {place} academy",
        ],
        "standfirsts": [
            "The coach praised the team's pressing as it prepares for a busy summer.",
            "The result keeps Canada's hopes alive in the qualifying group.",
        ],
        "facts": [
            "The striker scored in the first half with a header from a corner kick.",
            "More than {n},000 fans filled the stadium despite the cold weather.",
            "The coach rotated the lineup with several players carrying knocks.",
            "The team's academy has produced a dozen professional players in five years.",
            "Canada will host matches at stadiums in Toronto and Vancouver.",
            "The team travels to Europe next month for two more exhibition matches.",
            "Ticket sales for the home qualifier sold out within hours.",
        ],
        "quotes": [
            "We showed we can control a game against a strong opponent.",
            "Playing for my country in front of family is something I'll never forget.",
        ],
        "subheads": ["Tactics", "The road to the World Cup", "Young talent"],
    },
    {
        "label": "trade",
        "section": "world",
        "tags": ["Trade", "United States", "Tariffs"],
        "headlines": [
            "Ottawa responds to new U.S. tariffs on Canadian steel",
            "Trade talks with Washington resume as deadline nears",
            "Exporters in {province} brace for tariff hit",
            "Canada signs trade deal with Indo-Pacific partners",
        ],
        "standfirsts": [
            "Officials say retaliatory measures will target goods from key U.S. states.",
            "Manufacturers warn that thousands of jobs depend on cross-border supply chains.",
        ],
        "facts": [
            "Billions of dollars of goods cross the border every day, from grain to machinery.",
            "About three-quarters of Canadian exports go to the United States.",
            "Trade ministers met in Washington for two days of talks.",
            "Auto parts cross the border several times before a vehicle is finished.",
            "The government announced ${n} billion in support for affected industries.",
            "Business groups urged both governments to protect the continental trade agreement.",
            "Farmers worry that agricultural exports could be the next target.",
        ],
        "quotes": [
            "We will defend Canadian workers and Canadian jobs, full stop.",
            "Uncertainty is the worst thing for a manufacturer trying to plan next year.",
        ],
        "subheads": ["The industries at risk", "Ottawa's response", "Diplomacy"],
    },
    {
        "label": "arctic",
        "section": "world",
        "tags": ["Arctic", "Climate", "Defence"],
        "headlines": [
            "Canada boosts Arctic patrols as sea ice retreats",
            "Inuit leaders call for say in Arctic security plans",
            "Melting permafrost threatens roads in {place}",
            "Research ship maps shrinking ice in Northwest Passage",
        ],
        "standfirsts": [
            "Military officials say more ships are using northern routes each summer.",
            "Scientists report that sea ice extent hit one of its lowest levels on record.",
        ],
        "facts": [
            "Summer sea ice in the Arctic has declined sharply over four decades.",
            "New patrol ships will spend more time in northern waters.",
            "Communities depend on the ice for hunting and travel between settlements.",
            "Thawing permafrost is causing buildings and runways to shift.",
            "The government pledged new radar stations as part of continental defence.",
            "Shipping traffic through northern waters has roughly tripled in a decade.",
            "Hunters report that the ice now forms weeks later in the fall.",
        ],
        "quotes": [
            "Our people have lived here for thousands of years. Decisions about the North must include us.",
            "The changes we are measuring are happening faster than models predicted.",
        ],
        "subheads": ["Sovereignty", "Life on the ice", "Science"],
    },
    {
        "label": "film",
        "section": "arts",
        "tags": ["Film", "TIFF", "Canadian film"],
        "headlines": [
            "Quebec drama wins top prize at Toronto film festival",
            "{place} director's debut draws standing ovation",
            "Canadian film industry pushes for streaming rules",
            "Documentary on northern life to open festival in {place}",
        ],
        "standfirsts": [
            "The film follows three generations of a family through a hard winter.",
            "Producers say new rules for streaming services could fund more Canadian stories.",
        ],
        "facts": [
            "The film was shot over {n} weeks with a largely local crew.",
            "The festival's audience award is often a sign of Oscar attention.",
            "Streaming platforms will be required to contribute to Canadian content funds.",
            "The director spent five years raising money for the project.",
            "The cast includes several first-time actors from the community.",
            "Distributors bid for the rights after the premiere screening.",
            "Federal film agencies covered about a third of the budget.",
        ],
        "quotes": [
            "I wanted to tell a story that felt true to the place where I grew up.",
            "Canadian stories deserve to be seen by Canadian audiences.",
        ],
        "subheads": ["Behind the camera", "The festival circuit", "Industry"],
    },
    {
        "label": "transit",
        "section": "canada",
        "tags": ["Transit", "Infrastructure", "Cities"],
        "headlines": [
            "Light rail line in {place} delayed again, costs climb",
            "{place} approves fare freeze for transit riders",
            "New subway extension opens after years of construction",
            "Bus drivers in {place} vote to strike",
        ],
        "standfirsts": [
            "The line is now expected to open more than a year late and ${n}00 million over budget.",
            "City council says ridership has nearly recovered to pre-pandemic levels.",
        ],
        "facts": [
            "Ridership on the network rose {pct} per cent over last year.",
            "The contractor blamed supply problems and signalling issues for the delay.",
            "Councillors debated whether to raise fares or property taxes.",
            "The province is paying for most of the construction costs.",
            "Riders complained about crowded buses and unreliable schedules.",
            "The transit agency says it needs more operators before it can add service.",
            "A review of the project found the budget was set before designs were finished.",
        ],
        "quotes": [
            "People need to get to work on time. Right now they can't count on the system.",
            "This project will serve the city for the next hundred years.",
        ],
        "subheads": ["Costs and delays", "What riders say", "City hall"],
    },
]

# What a wire photographer's caption says for each topic; {place} is filled in.
PHOTO_CAPTIONS = {
    "wildfires": "Smoke rises from a wildfire burning near {place}.",
    "housing": "A new condominium tower under construction in {place}.",
    "interest-rates": "The Bank of Canada building in Ottawa.",
    "federal-budget": "The Peace Tower on Parliament Hill in Ottawa.",
    "election": "Voters line up at a polling station in {place}.",
    "health-care": "An ambulance outside a hospital emergency department in {place}.",
    "hockey": "Players battle for the puck in front of the net during the second period in {place}.",
    "soccer": "A midfielder controls the ball during a match in {place}.",
    "trade": "Trucks wait to cross the border at the Ambassador Bridge in Windsor, Ont.",
    "arctic": "Sea ice drifts in the Northwest Passage near {place}.",
    "film": "The red carpet before a gala screening in {place}.",
    "transit": "A light rail train pulls into a station in {place}.",
}

PHOTOGRAPHERS = [
    "Darryl Dyck", "Sean Kilpatrick", "Nathan Denette", "Graham Hughes", "Jeff McIntosh",
    "Andrew Vaughan", "Justin Tang", "Chris Young", "Jonathan Hayward", "Paul Chiasson",
]  # fmt: skip
