# Configures a fresh Redmine instance for journeytest's real-site corpus.
# start.sh runs it with: bin/rails runner configure.rb  (REDMINE_INSTANCE and REALSITE_HOST_NAME set)
# Settings are written with Setting[]= (what the admin's settings form stores, without the
# "settings updated" security mail the form would send to the admins).
host = ENV.fetch('REALSITE_HOST_NAME')          # e.g. "127.0.0.1:18100"

settings = {
  'self_registration'  => '1',   # "Account activation by email" (0 off, 1 email, 2 manual, 3 automatic)
  'lost_password'      => '1',   # "Lost password" link and form
  'unsubscribe'        => '1',   # "Allow users to delete their own account" -> "Delete my account"
  'host_name'          => host,  # used for every link in every email
  'protocol'           => 'http',
  'default_language'   => 'en',
  'login_required'     => '0',
}
settings.each { |name, value| Setting[name] = value }

# A public project, so there is something to follow and issue notifications can happen.
unless Project.exists?(identifier: 'demo')
  project = Project.new(name: 'Demo project', identifier: 'demo', is_public: true,
                        description: 'A public project of the journeytest real-site corpus.')
  project.enabled_module_names = Setting.default_projects_modules   # issues, wiki, news, files, ...
  project.trackers = Tracker.all
  project.save!
  admin = User.find_by(login: 'admin')
  Issue.create!(project: project, tracker: project.trackers.first, author: admin,
                subject: 'Welcome to the demo project', description: 'A first issue.',
                status: IssueStatus.first, priority: IssuePriority.default || IssuePriority.first)
  # Without a start page the project's "Wiki" tab answers 404 to visitors.
  wiki = project.reload.wiki || Wiki.create!(project: project, start_page: 'Wiki')
  page = WikiPage.new(wiki: wiki, title: 'Wiki')
  page.content = WikiContent.new(text: "h1. Demo project\n\nA public project of the journeytest real-site corpus.",
                                 author: admin)
  page.save!
end

Setting.clear_cache if Setting.respond_to?(:clear_cache)
puts settings.keys.map { |k| "#{k}=#{Setting[k].inspect}" }.join(' ')
puts "projects: " + Project.where(is_public: true).pluck(:identifier).join(',')
