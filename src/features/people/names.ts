/**
 * How names are compared: lower case, accents removed, apostrophes dropped, hyphens as spaces; and
 * common nicknames resolved to the given names they come from, so "Jon" finds John and Jonathan.
 */
export function normaliseName(name: string | null | undefined): string {
  return (name ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

// canonical given name -> the short forms and spellings people use for it
const NICKNAMES: Record<string, string[]> = {
  john: ['jon', 'jonny', 'johnny', 'jack', 'jackie', 'johnnie'],
  jonathan: ['jon', 'jonny', 'jonty', 'nathan'],
  william: ['will', 'willie', 'bill', 'billy', 'liam', 'wills'],
  robert: ['rob', 'robbie', 'bob', 'bobby', 'bert'],
  james: ['jim', 'jimmy', 'jamie', 'jem'],
  elizabeth: ['liz', 'lizzie', 'lizzy', 'beth', 'betty', 'eliza', 'libby', 'bess'],
  margaret: ['maggie', 'meg', 'peggy', 'maisie', 'greta'],
  catherine: ['kate', 'katie', 'cathy', 'kat', 'kitty', 'katherine', 'kathryn', 'cath'],
  thomas: ['tom', 'tommy', 'thom'],
  michael: ['mike', 'mikey', 'mick', 'micky', 'mickey'],
  alexander: ['alex', 'alec', 'sandy', 'xander', 'sasha'],
  alexandra: ['alex', 'lexi', 'sasha', 'sandra', 'ali'],
  daniel: ['dan', 'danny'],
  matthew: ['matt', 'matty'],
  christopher: ['chris', 'kit', 'topher'],
  nicholas: ['nick', 'nicky', 'nico'],
  joseph: ['joe', 'joey', 'jo'],
  samuel: ['sam', 'sammy'],
  samantha: ['sam', 'sammy', 'sammie'],
  benjamin: ['ben', 'benny', 'benji'],
  edward: ['ed', 'eddie', 'ted', 'teddy', 'ned'],
  richard: ['rich', 'richie', 'rick', 'ricky', 'dick'],
  anthony: ['tony', 'ant'],
  charles: ['charlie', 'chas', 'chuck'],
  charlotte: ['lottie', 'charlie', 'lotte'],
  henry: ['harry', 'hal', 'hank'],
  harold: ['harry', 'hal'],
  jennifer: ['jen', 'jenny', 'jenna'],
  rebecca: ['becky', 'becca', 'bex'],
  victoria: ['vicky', 'vicki', 'tori', 'tilly'],
  jessica: ['jess', 'jessie'],
  abigail: ['abby', 'abbie', 'abi'],
  olivia: ['liv', 'livvy', 'livia'],
  isabella: ['izzy', 'bella', 'issy', 'isabel', 'isobel'],
  amelia: ['millie', 'amy', 'mia'],
  emily: ['em', 'emmy', 'emmie'],
  sophia: ['sophie', 'sofia', 'soph'],
  mohammed: ['muhammad', 'mohamed', 'mohammad', 'mohamad', 'muhammed', 'mo'],
  deborah: ['debbie', 'deb', 'debra'],
  susan: ['sue', 'susie', 'suzy'],
  patricia: ['pat', 'patty', 'tricia', 'trish'],
  stephen: ['steve', 'steven', 'stevie'],
  andrew: ['andy', 'drew'],
  david: ['dave', 'davy', 'davey'],
  peter: ['pete'],
  frederick: ['fred', 'freddie', 'freddy'],
  oliver: ['ollie', 'olly'],
  theodore: ['theo', 'ted', 'teddy'],
  zachary: ['zach', 'zak', 'zac'],
  joshua: ['josh'],
  jacob: ['jake', 'jakey'],
  nathaniel: ['nate', 'nat', 'nathan'],
  timothy: ['tim', 'timmy'],
  gregory: ['greg'],
  kenneth: ['ken', 'kenny'],
  lawrence: ['larry', 'laurie'],
  leonard: ['len', 'lenny', 'leo'],
  ronald: ['ron', 'ronnie'],
  donald: ['don', 'donny'],
  sarah: ['sara', 'sally', 'sadie'],
  mary: ['molly', 'polly', 'mae'],
  eleanor: ['ellie', 'nell', 'nellie', 'elle', 'nora'],
  helen: ['ellie', 'nell', 'nellie'],
  gabriel: ['gabe'],
  gabriella: ['gabby', 'ella'],
  florence: ['flo', 'florrie'],
  josephine: ['jo', 'josie'],
  madison: ['maddie', 'maddy'],
  natasha: ['tash', 'tasha'],
  ahmed: ['ahmad', 'ahmet'],
  aleksander: ['aleks', 'olek'],
}

const CANONICAL = new Map<string, string[]>()
for (const [canonical, variants] of Object.entries(NICKNAMES)) {
  for (const name of [canonical, ...variants]) CANONICAL.set(name, [...(CANONICAL.get(name) ?? []), canonical])
}

/** The canonical given names a (normalised) first given name may stand for; itself if none. */
export function canonicalGivenNames(normalisedGiven: string): string[] {
  const first = normalisedGiven.split(' ')[0] ?? ''
  return CANONICAL.get(first) ?? [first]
}

/** The search keys stored with a person (people.search_*). */
export function searchKeys(given: string | null | undefined, family: string | null | undefined) {
  const searchGiven = normaliseName(given)
  const searchFamily = normaliseName(family)
  return {
    search_given: searchGiven,
    search_family: searchFamily,
    search_name: `${searchGiven} ${searchFamily}`.trim(),
    given_canon: canonicalGivenNames(searchGiven)[0] ?? '',
  }
}
