// A TikTok-Live-Connector 1.x bot, written from that library's README (events and data
// fields as it documents them). The one change for tiktool is the import below; it was
// require('tiktok-live-connector'). Point it at a gateway with TIKTOOL_URL and
// TIKTOOL_API_KEY, then: node connector-bot.cjs <tiktok username>
const { WebcastPushConnection } = require('@tiktool/live/compat');

const tiktokUsername = process.argv[2] || 'officialgeilegisela';
const tiktokLiveConnection = new WebcastPushConnection(tiktokUsername);

tiktokLiveConnection
  .connect()
  .then((state) => {
    console.info(`Connected to roomId ${state.roomId}`);
  })
  .catch((err) => {
    console.error('Failed to connect', err);
    process.exitCode = 1;
  });

tiktokLiveConnection.on('chat', (data) => {
  console.log(`${data.uniqueId} (userId:${data.userId}) writes: ${data.comment}`);
});

tiktokLiveConnection.on('gift', (data) => {
  if (data.giftType === 1 && !data.repeatEnd) {
    // Streak in progress => show only temporary
    console.log(`${data.uniqueId} is sending gift ${data.giftName} x${data.repeatCount}`);
  } else {
    // Streak ended or non-streakable gift => process the gift with final repeat_count
    console.log(`${data.uniqueId} has sent gift ${data.giftName} x${data.repeatCount} (${data.diamondCount} diamonds each)`);
  }
});

tiktokLiveConnection.on('like', (data) => {
  console.log(`${data.uniqueId} sent ${data.likeCount} likes, total likes: ${data.totalLikeCount}`);
});

tiktokLiveConnection.on('member', (data) => {
  console.log(`${data.uniqueId} joins the stream!`);
});

tiktokLiveConnection.on('roomUser', (data) => {
  console.log(`Viewer Count: ${data.viewerCount}`);
});

tiktokLiveConnection.on('social', (data) => {
  console.log(`social: ${data.uniqueId} ${data.displayType}`);
});

tiktokLiveConnection.on('follow', (data) => {
  console.log(`${data.uniqueId} followed!`);
});

tiktokLiveConnection.on('share', (data) => {
  console.log(`${data.uniqueId} shared the stream!`);
});

tiktokLiveConnection.on('subscribe', (data) => {
  console.log(data.uniqueId, 'subscribed!');
});

tiktokLiveConnection.on('questionNew', (data) => {
  console.log(`${data.uniqueId} asks ${data.questionText}`);
});

tiktokLiveConnection.on('linkMicBattle', (data) => {
  console.log(`New Battle: ${data.battleUsers[0].uniqueId} VS ${data.battleUsers[1].uniqueId}`);
});

tiktokLiveConnection.on('linkMicArmies', (data) => {
  console.log(`Battle status ${data.battleStatus}: ${data.battleArmies.map((a) => a.points).join(' : ')}`);
});

tiktokLiveConnection.on('envelope', (data) => {
  console.log(`${data.uniqueId} sent a treasure chest: ${data.coins} coins`);
});

tiktokLiveConnection.on('emote', (data) => {
  console.log(`${data.uniqueId} sent emote ${data.emoteId}`);
});

tiktokLiveConnection.on('liveIntro', (msg) => {
  console.log(`Intro: ${msg.description}`);
});

tiktokLiveConnection.on('streamEnd', ({ action }) => {
  if (action === 3) console.log('Stream ended by user');
  if (action === 4) console.log('Stream ended by platform moderator (ban)');
});

tiktokLiveConnection.on('disconnected', () => {
  console.log('Disconnected :(');
});

tiktokLiveConnection.on('error', (err) => {
  console.error('Error!', err);
});
