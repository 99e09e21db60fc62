"""Sujets des articles de démonstration en français : texte original, actualité d’ici.

Same names and structure as ``demo.topics``; the text is written in French for a
francophone Canadian outlet, not translated from the English. The spaces before : ; ! ? and
inside « » are no-break spaces (U+00A0), as are those in « 9 h 30 » or « 18 000 » (a test
checks it). ``label`` is the topic itself and matches the English topic of the same subject.
Facts, quotes and subheads name no province’s own institutions: the French half of a
translated pair is written from them about the English story’s place (Kelowna, Halifax).
"""

# Same order as the English sections: position i here is the translation of position i there.
SECTIONS = [
    ("Canada", "canada", "L’actualité d’un océan à l’autre."),
    (
        "Politique",
        "politique",
        "La Colline du Parlement, l’Assemblée nationale et les hôtels de ville.",
    ),
    ("Économie", "economie", "Marchés, emploi, logement et finances personnelles."),
    ("International", "international", "Le monde vu d’ici."),
    ("Sports", "sports", "Hockey, soccer, basketball et plus encore."),
    ("Arts", "arts", "Livres, cinéma, musique et scène."),
    ("Opinion", "opinion", "Chroniques et éditoriaux."),
]

PLACES = [
    "Québec", "Montréal", "Laval", "Longueuil", "Gatineau", "Sherbrooke", "Trois-Rivières",
    "Saguenay", "Rimouski", "Lévis", "Drummondville", "Rouyn-Noranda", "Sept-Îles", "Gaspé",
    "Saint-Jérôme", "Granby", "Moncton", "Edmundston", "Caraquet", "Ottawa", "Sudbury",
    "Hearst", "Saint-Boniface", "Halifax",
]  # fmt: skip

PROVINCES = [
    "le Québec", "l’Ontario", "le Nouveau-Brunswick", "la Nouvelle-Écosse", "le Manitoba",
    "l’Alberta", "la Colombie-Britannique", "la Saskatchewan", "l’Île-du-Prince-Édouard",
    "Terre-Neuve-et-Labrador",
]  # fmt: skip

FIRST_NAMES = [
    "Mathieu", "Geneviève", "Jean-François", "Catherine", "Étienne", "Isabelle", "Maxime",
    "Mélanie", "Louis-Philippe", "Annie", "Sébastien", "Marie-Ève", "Kevin", "Stéphanie",
    "Olivier", "Nathalie", "Mamadou", "Fatima", "Samuel", "Josée", "Alexandre", "Véronique",
    "Yannick", "Rosalie", "Karim", "Émilie",
]  # fmt: skip
LAST_NAMES = [
    "Gauthier", "Ouellet", "Lapointe", "Fortin", "Dubé", "Leblanc", "Cormier", "Girard",
    "Thibodeau", "Desjardins", "Beaulieu", "Poirier", "Simard", "Boucher", "Morin", "Diallo",
    "Benali", "Paquette", "Robichaud", "Lévesque", "Nadeau", "Caron", "Saint-Pierre", "Joseph",
]  # fmt: skip

ROLES = [
    "porte-parole de la Ville", "professeur à l’Université Laval",
    "représentante syndicale", "commerçant du quartier", "économiste chez Desjardins",
    "directrice régionale", "organisateur communautaire", "fonctionnaire provincial",
    "chercheuse à l’Université de Montréal", "résidant du secteur depuis 30 ans",
]  # fmt: skip

# Chaque sujet : étiquette (la même qu’en anglais), section, mots-clés, titres, chapeaux,
# faits, citations, intertitres. Voir fr.PLACEHOLDERS pour les champs à remplir.
TOPICS = [
    {
        "label": "wildfires",
        "section": "canada",
        "tags": ["Feux de forêt", "Climat", "Sécurité civile"],
        "headlines": [
            "Un incendie de forêt force l’évacuation de milliers de résidents près {de_place}",
            "La SOPFEU lutte contre un brasier hors de contrôle ; la fumée enveloppe {place}",
            "Saison des feux : {province} décrète l’état d’urgence",
            "Les évacués {de_place} attendent des nouvelles de leur maison",
        ],
        "standfirsts": [
            "Le temps sec et les forts vents ont poussé le front de feu sur {n} kilomètres en une seule journée.",
            "Les résidents ont eu quelques heures pour partir quand les flammes ont franchi la route 113.",
        ],
        "facts": [
            "Le brasier a ravagé plus de {n} 000 hectares depuis qu’il a été allumé par la foudre la semaine dernière.",
            "Des avions-citernes venus de trois provinces appuient les équipes au sol, qui ont travaillé toute la nuit.",
            "La fumée a fait grimper l’indice de la qualité de l’air au niveau de risque le plus élevé.",
            "Les sinistrés sont accueillis dans un centre d’hébergement aménagé dans le gymnase d’une école secondaire.",
            "Un changement de direction des vents pourrait rapprocher les flammes des premières maisons, préviennent les autorités.",
            "Les services de protection des forêts rappellent que la saison est bien en avance sur la moyenne des dix dernières années.",
            "Des pompiers venus de France et du Mexique sont arrivés en renfort pour relayer des équipes épuisées.",
            "La fermeture de la route isole plusieurs communautés, dont certaines n’ont qu’une seule voie d’accès.",
        ],
        "quotes": [
            "On a pris ce qu’on pouvait mettre dans le char et on est partis. On ne sait pas ce qu’on va retrouver.",
            "Le comportement du feu est extrême pour cette période de l’année, du jamais vu en juin.",
        ],
        "subheads": [
            "Des équipes à bout de souffle",
            "Sous un ciel orangé",
            "Ce dont les évacués ont besoin",
        ],
    },
    {
        "label": "housing",
        "section": "economie",
        "tags": ["Logement", "Immobilier", "Taux d’intérêt"],
        "headlines": [
            "Les ventes de maisons reculent de {pct} % à {place}",
            "Crise du logement : le taux d’inoccupation frôle zéro à {place}",
            "Les premiers acheteurs exclus du marché {de_place}, selon une étude",
            "Les mises en chantier progressent {en_province}, mais pas assez",
        ],
        "standfirsts": [
            "Le prix médian d’une unifamiliale atteint désormais {money}, selon l’Association professionnelle des courtiers immobiliers.",
            "Les constructeurs évoquent le coût du financement et la pénurie de main-d’œuvre pour expliquer le ralentissement.",
        ],
        "facts": [
            "Le prix de référence d’une propriété dans la région a reculé de {pct} % en un an.",
            "Le taux d’inoccupation des logements locatifs est sous la barre des 2 %, selon la Société canadienne d’hypothèques et de logement.",
            "Le renouvellement des prêts hypothécaires à des taux plus élevés étrangle les ménages qui ont acheté récemment.",
            "La construction de logements locatifs a repris, mais la demande dépasse toujours l’offre.",
            "Les courtiers notent une hausse des inscriptions, certains propriétaires préférant vendre plutôt que de renouveler leur hypothèque.",
            "Un ménage au revenu médian consacre désormais plus de la moitié de sa paie à se loger.",
            "Le gouvernement provincial promet d’accélérer la délivrance des permis pour les immeubles multilogements près des axes de transport collectif.",
        ],
        "quotes": [
            "Chaque renouvellement de bail, c’est la même angoisse. Mettre de l’argent de côté pour une mise de fonds, c’est devenu impossible.",
            "Le problème, c’est l’offre. On n’a tout simplement pas construit assez de logements pour les gens qui vivent ici.",
        ],
        "subheads": [
            "Les locataires sous pression",
            "Des promoteurs prudents",
            "Et maintenant, pour les acheteurs ?",
        ],
    },
    {
        "label": "interest-rates",
        "section": "economie",
        "tags": ["Banque du Canada", "Taux d’intérêt", "Inflation"],
        "headlines": [
            "La Banque du Canada maintient son taux directeur à {pct} %",
            "Taux directeur : nouvelle baisse d’un quart de point",
            "L’inflation ralentit en octobre grâce au prix de l’essence",
            "Les économistes divisés sur la prochaine décision de la Banque du Canada",
        ],
        "standfirsts": [
            "La banque centrale estime que l’économie peut croître sans relancer la hausse des prix.",
            "L’épicerie et le logement demeurent les principaux moteurs de l’indice des prix à la consommation.",
        ],
        "facts": [
            "Le taux directeur s’établit maintenant à {pct} % à la suite de cette décision.",
            "L’inflation annuelle a ralenti à {pct} %, selon le rapport mensuel de Statistique Canada.",
            "Le gouverneur a affirmé suivre de près la croissance des salaires et le coût du logement.",
            "Les taux obligataires ont reculé après l’annonce, les marchés anticipant d’autres baisses.",
            "Le huard a perdu du terrain face au dollar américain dans la foulée de l’annonce.",
            "Les détenteurs d’un prêt hypothécaire à taux variable verront leurs versements diminuer d’ici quelques semaines.",
            "La prochaine annonce de la Banque est prévue dans six semaines.",
        ],
        "quotes": [
            "Nous voulons que l’inflation demeure près de la cible avant d’aller plus loin.",
            "Ça fait deux ans que les familles encaissent la hausse du coût des emprunts. Elles sont à bout.",
        ],
        "subheads": ["À l’épicerie", "La réaction des marchés", "Les emprunteurs hypothécaires"],
    },
    {
        "label": "federal-budget",
        "section": "politique",
        "tags": ["Budget fédéral", "Parlement", "Impôts"],
        "headlines": [
            "Budget fédéral : un déficit de {n} milliards de dollars et plus d’argent pour la défense",
            "Le ministre des Finances dépose un budget axé sur la classe moyenne",
            "Les partis d’opposition voteront contre le budget",
            "Ce que le budget fédéral change pour les familles {de_province}",
        ],
        "standfirsts": [
            "Le gouvernement compte sur la croissance et sur une nouvelle taxe visant les grandes banques pour financer ses mesures.",
            "Les documents budgétaires prévoient une hausse de {pct} % des dépenses de programmes l’an prochain.",
        ],
        "facts": [
            "Le déficit devrait se résorber sur cinq ans à la faveur de la croissance économique.",
            "Les nouvelles sommes consacrées à la défense rapprochent le Canada de la cible de l’OTAN.",
            "Le budget prolonge une remise sur les frais de chauffage destinée aux ménages des régions rurales.",
            "Le directeur parlementaire du budget met en doute les prévisions de revenus du gouvernement.",
            "Les frais de la dette coûtent désormais plus cher chaque année que le Transfert canadien en matière de santé.",
            "Le gouvernement minoritaire aura besoin de l’appui d’au moins un parti d’opposition pour faire adopter son budget.",
            "Les provinces réclament depuis des mois une hausse des transferts en santé, sans obtenir gain de cause.",
        ],
        "quotes": [
            "C’est un budget pour les familles qui travaillent, et il garde nos finances sur une trajectoire responsable.",
            "On fait payer à nos enfants les promesses d’aujourd’hui. C’est irresponsable.",
        ],
        "subheads": ["Où va l’argent", "Réactions sur la Colline", "Les perspectives budgétaires"],
    },
    {
        "label": "election",
        "section": "politique",
        "tags": ["Élections fédérales", "Sondages", "Parlement"],
        "headlines": [
            "Dernier droit : les chefs multiplient les arrêts {en_province}",
            "Course serrée à une semaine du scrutin, selon un nouveau sondage Léger",
            "L’élection partielle {de_place}, un test pour le gouvernement",
            "Vote par anticipation : la participation bondit de {pct} %",
        ],
        "standfirsts": [
            "Selon les stratèges, une poignée de circonscriptions de banlieue décideront de l’issue du scrutin.",
            "Les chefs ont sillonné le pays avec des promesses sur le logement et le coût de la vie.",
        ],
        "facts": [
            "Les bureaux de vote par anticipation ont accueilli plus d’électeurs qu’au dernier scrutin général.",
            "Le plus récent sondage place les deux principaux partis à {n} points d’écart.",
            "Les candidats ont fait du porte-à-porte sous la pluie pendant les derniers jours de la campagne.",
            "Élections Canada rappelle aux électeurs d’apporter une pièce d’identité au bureau de scrutin.",
            "Le débat des chefs a porté surtout sur le coût de la vie et l’attente dans le réseau de la santé.",
            "Plusieurs circonscriptions ont changé de limites à la suite du dernier redécoupage de la carte électorale.",
            "Les bénévoles disent que le coût du logement revient à presque toutes les portes.",
        ],
        "quotes": [
            "Le monde veut savoir qui va rendre la vie plus abordable. C’est la seule question qui compte.",
            "Une campagne, ça compte, et celle-ci est loin d’être terminée.",
        ],
        "subheads": [
            "Les circonscriptions à surveiller",
            "Sur la route avec les chefs",
            "Ce que disent les sondages",
        ],
    },
    {
        "label": "health-care",
        "section": "canada",
        "tags": ["Santé", "Hôpitaux", "Infirmières"],
        "headlines": [
            "Faute d’infirmières, l’urgence {de_place} fermera la nuit",
            "Santé : {province} veut recruter {n}00 infirmières pour réduire l’attente en chirurgie",
            "Urgences débordées : des patients attendent plus de 20 heures {en_province}",
            "Des milliers de patients orphelins à {place}, faute de médecins de famille",
        ],
        "standfirsts": [
            "Le manque de personnel force des fermetures temporaires dans les hôpitaux en région.",
            "Le gouvernement promet que les nouvelles sommes ouvriront plus d’heures de bloc opératoire d’ici le printemps.",
        ],
        "facts": [
            "Environ un résident sur cinq attend toujours d’être pris en charge par un médecin de famille.",
            "L’urgence sera fermée de 19 h à 7 h pendant au moins deux semaines.",
            "Selon le syndicat, le temps supplémentaire obligatoire est devenu la norme dans plusieurs unités.",
            "L’attente pour une prothèse de la hanche ou du genou dépasse la norme nationale.",
            "Le ministère accélère la reconnaissance des diplômes des médecins formés à l’étranger.",
            "Les paramédics signalent de longs délais avant de pouvoir confier leurs patients aux équipes des urgences.",
            "Le ministre de la Santé promet l’ouverture de nouvelles cliniques d’infirmières praticiennes spécialisées.",
        ],
        "quotes": [
            "On est épuisées. Les infirmières partent plus vite qu’on peut les remplacer.",
            "Personne ne devrait avoir à faire deux heures de route pour trouver une urgence ouverte.",
        ],
        "subheads": [
            "Pénurie de personnel",
            "Des patients laissés en plan",
            "Le plan du gouvernement",
        ],
    },
    {
        "label": "hockey",
        "section": "sports",
        "tags": ["LNH", "Hockey", "Séries éliminatoires"],
        "headlines": [
            "Le Canadien l’emporte 3-2 en prolongation contre les Sénateurs",
            "Doublé d’une recrue : le Tricolore vient à bout des Maple Leafs",
            "Les Canucks assurent leur place en séries grâce à un but tardif",
            "Blanchissage et 3{n} arrêts pour le gardien des Jets",
        ],
        "standfirsts": [
            "Le but gagnant a été marqué en avantage numérique, à moins d’une minute de la fin de la prolongation.",
            "Cette victoire porte la séquence de l’équipe à {n} matchs sans défaite.",
        ],
        "facts": [
            "Le capitaine a ajouté deux mentions d’aide et trône désormais au sommet des marqueurs de l’équipe.",
            "Le gardien a été choisi première étoile après avoir réalisé un sommet personnel d’arrêts.",
            "Les unités d’infériorité numérique ont été parfaites en quatre occasions, dont une longue séquence à cinq contre trois.",
            "La foule a scandé le nom de la recrue après son deuxième but.",
            "L’entraîneur a brassé ses trios en deuxième période pour relancer l’attaque.",
            "L’équipe a remporté sept de ses dix derniers matchs à domicile.",
            "Le défenseur a quitté le match en troisième période en raison d’une blessure au haut du corps.",
        ],
        "quotes": [
            "On est restés dans notre plan de match. Personne n’a paniqué quand on a tiré de l’arrière.",
            "Marquer un but comme ça devant nos partisans, c’est un rêve d’enfant.",
        ],
        "subheads": ["Le point tournant", "Duel de gardiens", "Prochain rendez-vous"],
    },
    {
        "label": "soccer",
        "section": "sports",
        "tags": ["Soccer", "CF Montréal", "Coupe du monde"],
        "headlines": [
            "Les Canadiennes battent le Mexique {n}-0 en match amical",
            "Le CF Montréal arrache un point au Stade Saputo",
            "Le Canada dévoile sa formation pour les qualifications de la Coupe du monde",
            "Un jeune milieu de terrain {de_place} signe son premier contrat professionnel",
        ],
        "standfirsts": [
            "L’entraîneur a salué le pressing de son équipe à l’approche d’un été chargé.",
            "Ce résultat garde en vie les espoirs canadiens dans le groupe de qualification.",
        ],
        "facts": [
            "L’attaquante a ouvert la marque en première demie, d’une tête sur un corner.",
            "Plus de {n} 000 partisans ont bravé le froid pour remplir le stade.",
            "L’entraîneur a fait tourner son effectif, plusieurs joueurs étant amochés.",
            "L’académie du club a formé une douzaine de joueurs professionnels en cinq ans.",
            "Le Canada accueillera des matchs à Toronto et à Vancouver pendant le tournoi.",
            "L’équipe s’envolera le mois prochain vers l’Europe pour deux autres matchs préparatoires.",
            "Les billets pour le match de qualification à domicile se sont envolés en quelques heures.",
        ],
        "quotes": [
            "On a montré qu’on est capables de contrôler un match contre une bonne équipe.",
            "Porter le maillot du pays devant ma famille, je ne l’oublierai jamais.",
        ],
        "subheads": ["Sur le plan tactique", "En route vers la Coupe du monde", "La relève"],
    },
    {
        "label": "trade",
        "section": "international",
        "tags": ["Commerce international", "États-Unis", "Droits de douane"],
        "headlines": [
            "Ottawa riposte aux nouveaux droits de douane américains sur l’aluminium",
            "Reprise des négociations commerciales avec Washington à l’approche de l’échéance",
            "Les exportateurs {de_province} se préparent au choc des tarifs",
            "Le Canada conclut un accord commercial avec des partenaires de l’Indo-Pacifique",
        ],
        "standfirsts": [
            "Les contre-mesures viseront des produits fabriqués dans des États américains clés, selon Ottawa.",
            "Les manufacturiers rappellent que des milliers d’emplois dépendent des chaînes d’approvisionnement transfrontalières.",
        ],
        "facts": [
            "Des marchandises d’une valeur de plusieurs milliards de dollars traversent la frontière chaque jour, des céréales à la machinerie.",
            "Environ les trois quarts des exportations canadiennes prennent le chemin des États-Unis.",
            "Les ministres du Commerce ont passé deux jours à Washington pour négocier.",
            "Une pièce automobile traverse la frontière plusieurs fois avant que le véhicule soit assemblé.",
            "Ottawa annonce une aide de {n} milliards de dollars pour les industries touchées.",
            "Les groupes d’affaires pressent les deux gouvernements de préserver l’accord de libre-échange nord-américain.",
            "Les producteurs agricoles craignent que les exportations agroalimentaires soient les prochaines visées.",
        ],
        "quotes": [
            "Nous allons défendre les travailleurs canadiens et les emplois canadiens, point final.",
            "Pour un manufacturier qui essaie de planifier l’an prochain, l’incertitude, c’est le pire.",
        ],
        "subheads": ["Les industries menacées", "La riposte d’Ottawa", "Sur le front diplomatique"],
    },
    {
        "label": "arctic",
        "section": "international",
        "tags": ["Arctique", "Changements climatiques", "Défense"],
        "headlines": [
            "Le Canada multiplie les patrouilles dans l’Arctique à mesure que la glace recule",
            "Les Inuit réclament voix au chapitre sur la sécurité dans l’Arctique",
            "Le dégel du pergélisol menace les routes {de_place}",
            "Un navire de recherche cartographie la fonte des glaces dans le passage du Nord-Ouest",
        ],
        "standfirsts": [
            "Chaque été, de plus en plus de navires empruntent les routes du Nord, selon les Forces armées canadiennes.",
            "L’étendue de la glace de mer a atteint l’un de ses plus bas niveaux jamais enregistrés, rapportent des scientifiques.",
        ],
        "facts": [
            "La glace de mer estivale a fortement reculé dans l’Arctique au cours des quarante dernières années.",
            "Les nouveaux navires de patrouille passeront plus de temps dans les eaux nordiques.",
            "Les communautés dépendent de la glace pour chasser et pour se déplacer d’un village à l’autre.",
            "Le dégel du pergélisol fait bouger les bâtiments et déforme les pistes d’atterrissage.",
            "Ottawa promet de nouvelles stations radar dans le cadre de la défense continentale.",
            "Le trafic maritime dans les eaux du Nord a environ triplé en dix ans.",
            "Les chasseurs constatent que la glace se forme maintenant plusieurs semaines plus tard à l’automne.",
        ],
        "quotes": [
            "Notre peuple vit ici depuis des milliers d’années. Les décisions sur le Nord doivent se prendre avec nous.",
            "Les changements que nous mesurons vont plus vite que ce que prévoyaient les modèles.",
        ],
        "subheads": ["Souveraineté", "Vivre sur la glace", "Ce que dit la science"],
    },
    {
        "label": "film",
        "section": "arts",
        "tags": ["Cinéma", "Festivals", "Cinéma québécois"],
        "headlines": [
            "Un drame québécois remporte le grand prix du Festival de Toronto",
            "Le premier long métrage d’une cinéaste {de_place} ovationné",
            "Plateformes de diffusion : le milieu du cinéma réclame des règles claires",
            "Un documentaire sur la vie dans le Nord ouvrira le festival de {place}",
        ],
        "standfirsts": [
            "Le film suit trois générations d’une famille au fil d’un hiver difficile sur la Côte-Nord.",
            "Les producteurs estiment que les nouvelles obligations des plateformes pourraient financer davantage d’œuvres d’ici.",
        ],
        "facts": [
            "Le tournage s’est étalé sur {n} semaines, avec une équipe en grande partie locale.",
            "Le prix du public du festival annonce souvent une campagne en vue des Oscar.",
            "Les plateformes de diffusion en continu devront contribuer aux fonds destinés au contenu canadien.",
            "La réalisatrice a mis cinq ans à réunir le financement du projet.",
            "La distribution compte plusieurs acteurs non professionnels issus de la communauté.",
            "Les distributeurs se sont disputé les droits dès la fin de la première projection.",
            "Téléfilm Canada et les fonds provinciaux ont financé environ le tiers du budget.",
        ],
        "quotes": [
            "Je voulais raconter une histoire qui ressemble au coin de pays où j’ai grandi.",
            "Nos histoires méritent d’être vues par notre public, dans nos salles.",
        ],
        "subheads": ["Derrière la caméra", "La tournée des festivals", "L’industrie"],
    },
    {
        "label": "transit",
        "section": "canada",
        "tags": ["Transport collectif", "Infrastructures", "Municipal"],
        "headlines": [
            "Nouveau retard pour le tramway {de_place}, la facture grimpe",
            "{place} gèle les tarifs du transport en commun",
            "Le prolongement de la ligne bleue du métro enfin inauguré",
            "Les chauffeurs d’autobus {de_place} votent pour la grève",
        ],
        "standfirsts": [
            "La mise en service est repoussée de plus d’un an, et le dépassement de coûts atteint {n}00 millions de dollars.",
            "L’achalandage a presque retrouvé son niveau d’avant la pandémie, selon la société de transport.",
        ],
        "facts": [
            "L’achalandage du réseau a progressé de {pct} % par rapport à l’an dernier.",
            "Le consortium attribue le retard à des problèmes d’approvisionnement et de signalisation.",
            "Les élus municipaux ont débattu d’une hausse des tarifs ou de l’impôt foncier.",
            "Le gouvernement provincial assume l’essentiel des coûts de construction.",
            "Les usagers dénoncent des autobus bondés et des horaires peu fiables.",
            "La société de transport dit devoir embaucher des chauffeurs avant d’ajouter du service.",
            "Un rapport conclut que le budget du projet avait été fixé avant la fin des plans.",
        ],
        "quotes": [
            "Le monde doit arriver à l’heure au travail. En ce moment, on ne peut pas se fier au réseau.",
            "Ce projet va servir la ville pendant les cent prochaines années.",
        ],
        "subheads": ["Coûts et retards", "La parole aux usagers", "À l’hôtel de ville"],
    },
]

# La légende d’un photographe d’agence pour chaque sujet ; {place} est rempli.
PHOTO_CAPTIONS = {
    "wildfires": "De la fumée s’élève d’un incendie de forêt près {de_place}.",
    "housing": "Une tour de copropriétés en construction à {place}.",
    "interest-rates": "L’édifice de la Banque du Canada, à Ottawa.",
    "federal-budget": "La tour de la Paix, sur la colline du Parlement, à Ottawa.",
    "election": "Des électeurs font la file devant un bureau de scrutin à {place}.",
    "health-care": "Une ambulance devant l’urgence d’un hôpital {de_place}.",
    "hockey": "Des joueurs se disputent la rondelle devant le filet en deuxième période, à {place}.",
    "soccer": "Un milieu de terrain contrôle le ballon pendant un match à {place}.",
    "trade": "Des camions attendent de franchir la frontière au pont Ambassador, à Windsor, en Ontario.",
    "arctic": "Des glaces dérivent dans le passage du Nord-Ouest, près {de_place}.",
    "film": "Le tapis rouge avant une projection de gala à {place}.",
    "transit": "Une rame de train léger entre en gare à {place}.",
}

# Photographes de La Presse Canadienne qui signent en français.
PHOTOGRAPHERS = [
    "Jacques Boissinot", "Ryan Remiorz", "Graham Hughes", "Christinne Muschi",
    "Paul Chiasson", "Adrian Wyld", "Justin Tang", "Sean Kilpatrick", "Spencer Colby",
    "Patrick Doyle",
]  # fmt: skip

# Ce que le générateur écrit autour des faits (l’équivalent français des phrases fixes de
# demo.writing.english_body) ; {place} et {de_place} comme ailleurs, {speaker}, {role} et {first_name}
# sont la personne citée. Les citations sont entourées de « » par le générateur.
BODY = {
    "opening": "L’annonce survient alors que les autorités {de_place} se réunissaient pour planifier la suite.",
    "said": "a déclaré {speaker}, {role}.",
    "pressing": "{first_name} assure que la communauté continuera de réclamer des réponses.",
    "more": "D’autres détails sont attendus dans les prochains jours.",
    "follow": 'Suivez les <a href="https://www.canada.ca/fr.html">mises à jour officielles</a> pour connaître les derniers renseignements.',
    "share": "Racontez-nous votre histoire : écrivez à notre salle de rédaction.",
    "author_bio": "{first_name} couvre l’actualité {de_place} et {de_province} depuis {years} ans. Auparavant, {first_name} a travaillé pour des hebdos régionaux.",
}

# Section (slug français) → le titre des journalistes qui couvrent ses sujets.
BEATS = {
    "politique": "Courriériste parlementaire", "economie": "Journaliste économique",
    "sports": "Journaliste sportif", "canada": "Journaliste", "arts": "Critique culturelle",
    "international": "Correspondante à l’étranger", "opinion": "Chroniqueur",
}  # fmt: skip

# Les pages du site en français, jumelées aux pages anglaises de même adresse (migration
# 0012 de ``articles``) : adresse anglaise → (titre, adresse française, texte).
SITE_PAGES = {
    "about": (
        "À propos",
        "a-propos",
        "<p>The Maple Ledger est un média d’information canadien indépendant. Nos "
        "journalistes couvrent le Parlement, les provinces et les hôtels de ville, "
        "l’économie, le monde vu d’ici, les sports et la culture, en français comme en "
        "anglais.</p><h2>Nos normes</h2><p>Nous vérifions ce que nous publions, nous "
        "nommons nos sources chaque fois que c’est possible et nous corrigeons nos erreurs "
        "ouvertement. Les textes d’opinion sont identifiés comme tels.</p>",
    ),
    "contact": (
        "Nous joindre",
        "nous-joindre",
        "<p>Pour un tuyau, une question ou une plainte, écrivez à la salle de rédaction : "
        '<a href="mailto:redaction@example.ca">redaction@example.ca</a>.</p>'
        "<h2>Corrections</h2><p>Vous avez relevé une erreur dans un de nos articles ? "
        'Écrivez à <a href="mailto:corrections@example.ca">corrections@example.ca</a> en '
        "indiquant l’adresse de l’article et ce qui est inexact.</p>",
    ),
    "corrections": (
        "Politique de correction",
        "corrections",
        "<p>Quand nous nous trompons, nous corrigeons et nous le disons. Une note à la fin "
        "de l’article précise ce qui était inexact et quand la correction a été faite ; "
        "l’article indique la date de sa mise à jour.</p><p>Nous ne retirons pas un article "
        "publié, sauf pour des raisons juridiques ou pour protéger la sécurité d’une "
        "personne.</p>",
    ),
    "privacy": (
        "Confidentialité",
        "confidentialite",
        "<p>Nous n’utilisons ni traceurs publicitaires ni scripts de tiers. Nos pages ne "
        "déposent aucun témoin quand vous les lisez.</p><h2>Les étoiles</h2><p>Quand vous "
        "notez un article, votre navigateur garde un identifiant aléatoire dans un témoin, "
        "pour qu’un nouveau vote remplace le précédent au lieu de s’y ajouter. Nous gardons "
        "un code à sens unique tiré de votre adresse réseau pour limiter les abus, jamais "
        "l’adresse elle-même.</p>",
    ),
}
